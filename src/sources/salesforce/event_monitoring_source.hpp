#pragma once

#include "sources/source.hpp"

namespace keyward::sources::salesforce {

// Salesforce Event Monitoring records as JSON: Event Log File rows and Real-Time Event Monitoring
// events, with the upper-case field names of the Event Log File schema.
class EventMonitoringSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

}  // namespace keyward::sources::salesforce
