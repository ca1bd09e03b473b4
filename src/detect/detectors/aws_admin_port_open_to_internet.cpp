// aws.ec2.admin_port_open_to_internet: a security group rule opens SSH (22), RDP (3389) or all
// ports to every address (0.0.0.0/0 or ::/0). Attackers with a stolen key open SSH to reach an
// instance they just pushed a key to. The rule also exposes every instance in the group to
// password guessing from the whole internet.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.ec2.admin_port_open_to_internet";
constexpr std::string_view kTitle = "SSH or RDP opened to the internet";

// True for a CIDR block with prefix length 0, which matches every address.
bool is_world(std::string_view cidr) { return cidr.size() >= 2 && cidr.substr(cidr.size() - 2) == "/0"; }

// Describes what a rule opens when it covers an administrative port: "port 22", "all ports".
std::string admin_exposure(const std::string& protocol, long long from, long long to) {
  if (protocol == "-1" || protocol == "all") return "all ports";
  if (protocol != "tcp" && protocol != "6") return {};
  if (from <= 22 && to >= 22) return from == to ? "port 22 (SSH)" : fmt::format("ports {}-{} (SSH included)", from, to);
  if (from <= 3389 && to >= 3389) return from == to ? "port 3389 (RDP)" : fmt::format("ports {}-{} (RDP included)", from, to);
  return {};
}

long long number_field(const nlohmann::json& json, std::string_view key, long long fallback) {
  if (!json.is_object()) return fallback;
  const auto found = json.find(key);
  return found != json.end() && found->is_number_integer() ? found->get<long long>() : fallback;
}

// Collects the world-open administrative exposures of one ipPermissions item.
void read_permission(const nlohmann::json& item, std::vector<std::string>& exposures) {
  const std::string protocol = aws::string_field(item, "ipProtocol");
  const std::string ports = admin_exposure(protocol, number_field(item, "fromPort", 0), number_field(item, "toPort", 65535));
  if (ports.empty()) return;
  for (const char* list_key : {"ipRanges", "ipv6Ranges"}) {
    const auto list = item.find(list_key);
    if (list == item.end() || !list->is_object() || !list->contains("items") || !(*list)["items"].is_array()) continue;
    for (const auto& range : (*list)["items"]) {
      std::string cidr = aws::string_field(range, "cidrIp");
      if (cidr.empty()) cidr = aws::string_field(range, "cidrIpv6");
      if (is_world(cidr)) exposures.push_back(fmt::format("{} from {}", ports, baseline::printable(cidr, 48)));
    }
  }
}

class AdminPortOpenToInternet final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A security group rule opens SSH, RDP or all ports to every internet address.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "ec2.amazonaws.com" || event.event_name != "AuthorizeSecurityGroupIngress") return;
    if (!event.error_code.empty() || aws::is_aws_service_caller(event)) return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    if (!request.is_object()) return;
    std::vector<std::string> exposures;
    // The short form names one rule at the top level; the long form lists ipPermissions items.
    if (is_world(aws::string_field(request, "cidrIp"))) {
      const std::string ports = admin_exposure(aws::string_field(request, "ipProtocol"), number_field(request, "fromPort", 0),
                                               number_field(request, "toPort", 65535));
      if (!ports.empty()) exposures.push_back(fmt::format("{} from {}", ports, baseline::printable(aws::string_field(request, "cidrIp"), 48)));
    }
    const auto permissions = request.find("ipPermissions");
    if (permissions != request.end() && permissions->is_object() && permissions->contains("items") &&
        (*permissions)["items"].is_array()) {
      for (const auto& item : (*permissions)["items"]) read_permission(item, exposures);
    }
    if (exposures.empty()) return;

    const std::string group = aws::string_field(request, "groupId");
    const bool human = aws::is_human_session(event);
    core::Alert alert = aws::make_alert(kId, kTitle, human ? core::Severity::medium : core::Severity::high,
                                        human ? 55 : 75, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} opened security group {} to the internet: {}", event.identity_id,
                           group.empty() ? "(not logged)" : baseline::printable(group, 64), baseline::join_values(exposures, 4))));
    alert.remediation = fmt::format(
        "Remove the rule (`aws ec2 revoke-security-group-ingress --group-id {} ...` with the same protocol, ports "
        "and CIDR), reach instances through SSM Session Manager instead, and if the change was not planned "
        "contain the caller: {}",
        group.empty() ? "GROUP" : aws::shell_word(group), aws::containment_command(event));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(AdminPortOpenToInternet);

}  // namespace
}  // namespace keyward::detect
