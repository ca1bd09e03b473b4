#pragma once

#include "sources/source.hpp"

namespace keyward::sources::entra {

// Reads Azure Activity Log (control-plane) records: `az monitor activity-log list` output and the
// records that diagnostic settings export to storage or Event Hubs.
class ActivityLogSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

}  // namespace keyward::sources::entra
