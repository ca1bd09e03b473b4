#pragma once

#include "sources/source.hpp"

namespace keyward::sources::snowflake {

// Snowflake sessions: SNOWFLAKE.ACCOUNT_USAGE.SESSIONS exports as CSV or JSON, one event per
// session with the client application and the client environment it reported.
class SessionsSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

}  // namespace keyward::sources::snowflake
