// aws.cloudtrail.logging_tampered: calls that blind the account's audit trail. These are
// CloudTrail StopLogging, DeleteTrail, an UpdateTrail that narrows the trail, PutEventSelectors
// that drop management events, CloudTrail Lake store deletion, VPC DeleteFlowLogs, Route 53
// Resolver query-log removal, and leaving the AWS Organization (which drops organization trails
// and guardrails). Attempts that AWS denied are reported too, at lower severity, because the
// attempt alone shows intent (Stratus: aws.defense-evasion.*).

#include <fmt/format.h>

#include <algorithm>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.cloudtrail.logging_tampered";
constexpr std::string_view kTitle = "Audit logging disabled or reduced";

struct Tampering {
  core::Severity severity = core::Severity::high;
  std::string change;   // "stopped CloudTrail logging for trail X"
  std::string restore;  // AWS CLI call that restores logging
};

// True when at least one basic event selector still records management write events.
bool basic_selectors_keep_management_writes(const nlohmann::json& selectors) {
  for (const auto& selector : selectors) {
    if (!selector.is_object()) continue;
    const auto include = selector.find("includeManagementEvents");
    const bool includes = include == selector.end() || !include->is_boolean() || include->get<bool>();
    const std::string read_write = aws::string_field(selector, "readWriteType");
    if (includes && read_write != "ReadOnly") return true;
  }
  return false;
}

// True when an advanced event selector selects the Management category.
bool advanced_selectors_keep_management(const nlohmann::json& selectors) {
  for (const auto& selector : selectors) {
    if (!selector.is_object() || !selector.contains("fieldSelectors") || !selector["fieldSelectors"].is_array()) continue;
    for (const auto& field : selector["fieldSelectors"]) {
      if (aws::string_field(field, "field") != "eventCategory" || !field.contains("equals")) continue;
      const auto& equals = field["equals"];
      if (equals.is_array() && std::find(equals.begin(), equals.end(), "Management") != equals.end()) return true;
    }
  }
  return false;
}

std::optional<Tampering> assess_cloudtrail(const core::Event& event, const nlohmann::json& params) {
  std::string trail = aws::string_field(params, "name");
  if (trail.empty()) trail = aws::string_field(params, "trailName");
  const std::string quoted = aws::shell_word(trail.empty() ? "TRAIL" : trail);
  const std::string_view name = event.event_name;
  if (name == "StopLogging") {
    return Tampering{core::Severity::critical, fmt::format("stopped CloudTrail logging for trail {}", trail),
                     fmt::format("aws cloudtrail start-logging --name {}", quoted)};
  }
  if (name == "DeleteTrail") {
    return Tampering{core::Severity::critical, fmt::format("deleted CloudTrail trail {}", trail),
                     fmt::format("aws cloudtrail create-trail --name {} --s3-bucket-name BUCKET --is-multi-region-trail "
                                 "&& aws cloudtrail start-logging --name {}",
                                 quoted, quoted)};
  }
  if (name == "DeleteEventDataStore" || name == "StopEventDataStoreIngestion") {
    const std::string store = aws::string_field(params, "eventDataStore");
    return Tampering{core::Severity::high, fmt::format("called {} on CloudTrail Lake event data store {}", name, store),
                     fmt::format("aws cloudtrail {} --event-data-store {}",
                                 name == "DeleteEventDataStore" ? "restore-event-data-store" : "start-event-data-store-ingestion",
                                 aws::shell_word(store.empty() ? "STORE" : store))};
  }
  if (name == "UpdateTrail") {
    for (std::string_view flag : {"isMultiRegionTrail", "includeGlobalServiceEvents", "enableLogFileValidation"}) {
      const auto found = params.is_object() ? params.find(flag) : params.end();
      if (params.is_object() && found != params.end() && found->is_boolean() && !found->get<bool>()) {
        return Tampering{core::Severity::high, fmt::format("set {} to false on trail {}", flag, trail),
                         fmt::format("aws cloudtrail update-trail --name {} --is-multi-region-trail "
                                     "--include-global-service-events --enable-log-file-validation",
                                     quoted)};
      }
    }
    return std::nullopt;
  }
  if (name == "PutEventSelectors") {
    const bool basic = params.is_object() && params.contains("eventSelectors") && params["eventSelectors"].is_array();
    const bool advanced =
        params.is_object() && params.contains("advancedEventSelectors") && params["advancedEventSelectors"].is_array();
    const bool keeps = (basic && basic_selectors_keep_management_writes(params["eventSelectors"])) ||
                       (advanced && advanced_selectors_keep_management(params["advancedEventSelectors"]));
    if ((!basic && !advanced) || keeps) return std::nullopt;
    return Tampering{core::Severity::high,
                     fmt::format("changed the event selectors of trail {} so management write events are no longer logged", trail),
                     fmt::format("aws cloudtrail put-event-selectors --trail-name {} --event-selectors "
                                 "'[{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}}]'",
                                 quoted)};
  }
  return std::nullopt;
}

std::optional<Tampering> assess(const core::Event& event) {
  const std::string_view source = event.event_source;
  const std::string_view name = event.event_name;
  const bool cloudtrail = source == "cloudtrail.amazonaws.com";
  const bool flow_logs = source == "ec2.amazonaws.com" && name == "DeleteFlowLogs";
  const bool resolver = source == "route53resolver.amazonaws.com" &&
                        (name == "DeleteResolverQueryLogConfig" || name == "DisassociateResolverQueryLogConfig");
  const bool leave = source == "organizations.amazonaws.com" && name == "LeaveOrganization";
  if (!cloudtrail && !flow_logs && !resolver && !leave) return std::nullopt;

  const nlohmann::json params = aws::parse_json(event.request_parameters);
  if (cloudtrail) return assess_cloudtrail(event, params);
  if (flow_logs) {
    return Tampering{core::Severity::high, "deleted VPC flow logs",
                     "aws ec2 create-flow-logs --resource-type VPC --resource-ids VPC_ID --traffic-type ALL "
                     "--log-destination-type s3 --log-destination BUCKET_ARN"};
  }
  if (resolver) {
    const std::string config = aws::string_field(params, "resolverQueryLogConfigId");
    return Tampering{core::Severity::high, fmt::format("called {} on Route 53 Resolver query logging {}", name, config),
                     "aws route53resolver associate-resolver-query-log-config --resolver-query-log-config-id CONFIG_ID "
                     "--resource-id VPC_ID"};
  }
  return Tampering{core::Severity::critical, "tried to take the account out of its AWS Organization",
                   "check the account's membership with aws organizations describe-organization"};
}

core::Severity one_level_lower(core::Severity severity) {
  return severity == core::Severity::critical ? core::Severity::high : core::Severity::medium;
}

int score_of(core::Severity severity) {
  switch (severity) {
    case core::Severity::critical: return 95;
    case core::Severity::high: return 80;
    default: return 55;
  }
}

class LoggingTampered final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "Calls that stop, delete or narrow CloudTrail trails, flow logs or resolver query logs, or leave the organization; denied attempts are reported too.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    std::optional<Tampering> tampering = assess(event);
    if (!tampering) return;
    const bool denied = !event.error_code.empty();
    const core::Severity severity = denied ? one_level_lower(tampering->severity) : tampering->severity;

    core::Alert alert = aws::make_alert(kId, kTitle, severity, score_of(severity), event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} {} ({} from {}){}", event.identity_id, tampering->change, aws::short_action(event),
                           event.source_ip, denied ? fmt::format("; AWS denied the call: {}", event.error_code) : "")));
    alert.remediation =
        denied ? fmt::format("AWS denied the call, so nothing changed. Find out why this identity tried it, and contain it "
                              "if nobody expects that: {}",
                              aws::containment_command(event))
                : fmt::format("Restore logging: {}. Then contain the caller unless the change was planned: {}",
                              tampering->restore, aws::containment_command(event));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(LoggingTampered);

}  // namespace
}  // namespace keyward::detect
