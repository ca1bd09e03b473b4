// aws.exfiltration.resource_shared_externally: a machine image (AMI), an EBS snapshot or an RDS
// snapshot is shared with another AWS account or made public. Sharing copies nothing and costs
// nothing, yet it hands the other account a full copy of the disk or database, with whatever
// credentials and data it holds. Attackers with a stolen key exfiltrate this way because no data
// leaves through the victim's network.
//
// Calls that only remove permissions, or that share with the caller's own account, do not alert.

#include <fmt/format.h>

#include <optional>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.exfiltration.resource_shared_externally";
constexpr std::string_view kTitle = "Image or snapshot shared outside the account";

struct Share {
  std::string resource_kind;  // "AMI", "EBS snapshot", "RDS snapshot"
  std::string resource_id;
  std::vector<std::string> accounts;  // other accounts added; "all" means public
  std::string undo_command;
};

// Adds the accounts of an EC2 "add": {"items": [{"userId": ...} | {"group": "all"}]} list.
void read_ec2_add_list(const nlohmann::json& permission, std::vector<std::string>& accounts) {
  if (!permission.is_object()) return;
  const auto add = permission.find("add");
  if (add == permission.end() || !add->is_object()) return;
  const auto items = add->find("items");
  if (items == add->end() || !items->is_array()) return;
  for (const auto& item : *items) {
    std::string account = aws::string_field(item, "userId");
    if (account.empty()) account = aws::string_field(item, "group");
    if (!account.empty()) accounts.push_back(account);
  }
}

std::optional<Share> read_share(const core::Event& event) {
  const nlohmann::json request = aws::parse_json(event.request_parameters);
  if (!request.is_object()) return std::nullopt;
  Share share;
  if (event.event_source == "ec2.amazonaws.com" && event.event_name == "ModifyImageAttribute") {
    share.resource_kind = "AMI";
    share.resource_id = aws::string_field(request, "imageId");
    if (request.contains("launchPermission")) read_ec2_add_list(request["launchPermission"], share.accounts);
    share.undo_command = fmt::format("aws ec2 reset-image-attribute --image-id {} --attribute launchPermission",
                                     aws::shell_word(share.resource_id));
  } else if (event.event_source == "ec2.amazonaws.com" && event.event_name == "ModifySnapshotAttribute") {
    share.resource_kind = "EBS snapshot";
    share.resource_id = aws::string_field(request, "snapshotId");
    if (request.contains("createVolumePermission")) read_ec2_add_list(request["createVolumePermission"], share.accounts);
    share.undo_command = fmt::format("aws ec2 reset-snapshot-attribute --snapshot-id {} --attribute createVolumePermission",
                                     aws::shell_word(share.resource_id));
  } else if (event.event_source == "rds.amazonaws.com" &&
             (event.event_name == "ModifyDBSnapshotAttribute" || event.event_name == "ModifyDBClusterSnapshotAttribute")) {
    const bool cluster = event.event_name == "ModifyDBClusterSnapshotAttribute";
    share.resource_kind = cluster ? "RDS cluster snapshot" : "RDS snapshot";
    share.resource_id = aws::string_field(request, cluster ? "dBClusterSnapshotIdentifier" : "dBSnapshotIdentifier");
    if (aws::string_field(request, "attributeName") != "restore") return std::nullopt;
    const auto added = request.find("valuesToAdd");
    if (added != request.end() && added->is_array()) {
      for (const auto& value : *added) {
        if (value.is_string()) share.accounts.push_back(value.get<std::string>());
      }
    }
    share.undo_command = fmt::format(
        "aws rds {} --{} {} --attribute-name restore --values-to-remove ACCOUNTS",
        cluster ? "modify-db-cluster-snapshot-attribute" : "modify-db-snapshot-attribute",
        cluster ? "db-cluster-snapshot-identifier" : "db-snapshot-identifier", aws::shell_word(share.resource_id));
  } else {
    return std::nullopt;
  }
  return share;
}

class ResourceSharedExternally final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A machine image, EBS snapshot or RDS snapshot is shared with another AWS account or made public, a way to copy data out without network traffic.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!event.error_code.empty() || aws::is_aws_service_caller(event)) return;
    std::optional<Share> share = read_share(event);
    if (!share) return;
    std::vector<std::string> others;
    bool is_public = false;
    for (const std::string& account : share->accounts) {
      if (account == event.account_id) continue;
      if (account == "all") is_public = true;
      others.push_back(baseline::printable(account, 32));
    }
    if (others.empty()) return;

    const bool human = aws::is_human_session(event);
    const core::Severity severity = is_public || !human ? core::Severity::high : core::Severity::medium;
    core::Alert alert = aws::make_alert(kId, kTitle, severity, severity == core::Severity::high ? 80 : 55, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} shared {} {} with {} ({} from {})", event.identity_id, share->resource_kind,
                           baseline::printable(share->resource_id, 128),
                           is_public ? "everyone (public)" : "account " + baseline::join_values(others, 5),
                           aws::short_action(event), baseline::printable(event.source_ip, 64))));
    alert.remediation = fmt::format(
        "Unless the receiving account is a known partner or one of the organization's own, withdraw the share with "
        "`{}` and contain the caller: {}",
        share->undo_command, aws::containment_command(event));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ResourceSharedExternally);

}  // namespace
}  // namespace keyward::detect
