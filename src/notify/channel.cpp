#include "notify/channel.hpp"

#include <unistd.h>

#include <climits>

#include "core/model_json.hpp"
#include "report/findings_output.hpp"

namespace keyward::notify {

std::string_view to_string(ChannelType type) {
  switch (type) {
    case ChannelType::webhook: return "webhook";
    case ChannelType::slack: return "slack";
    case ChannelType::syslog: return "syslog";
    case ChannelType::splunk_hec: return "splunk_hec";
  }
  return "webhook";
}

nlohmann::json alert_payload(const core::Alert& alert) {
  nlohmann::json payload = {{"id", report::alert_id(alert)}};
  payload.update(core::to_json(alert));
  return payload;
}

std::string local_host_name() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "-";
  return name;
}

}  // namespace keyward::notify
