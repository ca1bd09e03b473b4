#pragma once

#include "sources/source.hpp"

namespace keyward::sources::workspace {

// Reports API activities.list output for the token, admin and login applications: OAuth app
// authorizations, revocations and API use, domain-wide delegation changes, and sign-ins.
class TokenActivitySource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

}  // namespace keyward::sources::workspace
