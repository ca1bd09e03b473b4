#include "core/model_json.hpp"

namespace keyward::core {

using nlohmann::json;

json optional_time_json(const std::optional<UnixTime>& time) {
  return time ? json(format_time(*time)) : json(nullptr);
}

json to_json(const Evidence& evidence) {
  json out = {{"description", evidence.description}};
  if (!evidence.source.file.empty()) out["file"] = evidence.source.file;
  if (evidence.source.offset >= 0) out["offset"] = evidence.source.offset;
  if (!evidence.source.record_id.empty()) out["record_id"] = evidence.source.record_id;
  if (evidence.time) out["time"] = format_time(*evidence.time);
  return out;
}

Evidence evidence_from_json(const json& value) {
  Evidence evidence;
  if (!value.is_object()) return evidence;
  evidence.description = value.value("description", "");
  evidence.source.file = value.value("file", "");
  evidence.source.offset = value.value("offset", -1LL);
  evidence.source.record_id = value.value("record_id", "");
  if (value.contains("time") && value["time"].is_string()) {
    evidence.time = parse_time(value["time"].get<std::string>());
  }
  return evidence;
}

json to_json(const std::vector<Evidence>& evidence) {
  json out = json::array();
  for (const auto& item : evidence) out.push_back(to_json(item));
  return out;
}

std::vector<Evidence> evidence_list_from_json(const json& value) {
  std::vector<Evidence> out;
  if (!value.is_array()) return out;
  for (const auto& item : value) out.push_back(evidence_from_json(item));
  return out;
}

json to_json(const IdentityRef& identity) {
  return {{"platform", identity.platform}, {"id", identity.id}, {"name", identity.name}};
}

json to_json(const Finding& finding) {
  json out = {
      {"id", finding_id(finding)},
      {"rule", finding.rule},
      {"title", finding.title},
      {"severity", to_string(finding.severity)},
      {"score", finding.score},
      {"owasp", finding.owasp},
      {"identity", to_json(finding.identity)},
      {"credential", finding.credential_id.empty() ? json(nullptr) : json(finding.credential_id)},
      {"evidence", to_json(finding.evidence)},
      {"remediation", finding.remediation},
      {"as_of", optional_time_json(finding.as_of)},
      {"status", to_string(finding.status)},
      {"recurring", finding.recurring},
      {"first_seen", optional_time_json(finding.first_seen)},
      {"last_seen", optional_time_json(finding.last_seen)},
  };
  if (!finding.status_reason.empty()) out["status_reason"] = finding.status_reason;
  if (finding.status_until) out["status_until"] = format_time(*finding.status_until);
  out.update(finding_details_json(finding));
  return out;
}

json finding_details_json(const Finding& finding) {
  json factors = json::array();
  for (const auto& factor : finding.risk_factors) {
    factors.push_back({{"name", factor.name}, {"points", factor.points}, {"detail", factor.detail}});
  }
  const FindingContext& context = finding.context;
  return {
      {"risk_factors", factors},
      {"context",
       {{"owner", context.owner},
        {"owner_status", context.owner_status},
        {"team", context.team},
        {"vendor", context.vendor},
        {"environment", context.environment},
        {"connects_to", context.connects_to}}},
      {"remediation_steps", finding.remediation_steps},
      {"check_first", finding.check_first},
      {"safe_now", finding.safe_now ? json(*finding.safe_now) : json(nullptr)},
      {"safe_reason", finding.safe_reason},
  };
}

namespace {

std::vector<std::string> string_list(const json& value) {
  std::vector<std::string> out;
  if (!value.is_array()) return out;
  for (const auto& item : value) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

void read_finding_details(const json& details, Finding& finding) {
  if (!details.is_object()) return;
  finding.risk_factors.clear();
  if (const auto factors = details.find("risk_factors"); factors != details.end() && factors->is_array()) {
    for (const auto& factor : *factors) {
      if (!factor.is_object()) continue;
      finding.risk_factors.push_back(
          RiskFactor{factor.value("name", ""), factor.value("points", 0), factor.value("detail", "")});
    }
  }
  if (const auto context = details.find("context"); context != details.end() && context->is_object()) {
    finding.context.owner = context->value("owner", "");
    finding.context.owner_status = context->value("owner_status", "");
    finding.context.team = context->value("team", "");
    finding.context.vendor = context->value("vendor", "");
    finding.context.environment = context->value("environment", "");
    finding.context.connects_to = string_list(context->value("connects_to", json::array()));
  }
  finding.remediation_steps = string_list(details.value("remediation_steps", json::array()));
  finding.check_first = string_list(details.value("check_first", json::array()));
  if (const auto safe = details.find("safe_now"); safe != details.end() && safe->is_boolean()) {
    finding.safe_now = safe->get<bool>();
  }
  finding.safe_reason = details.value("safe_reason", "");
}

json to_json(const Alert& alert) {
  return {
      {"detector", alert.detector},
      {"title", alert.title},
      {"severity", to_string(alert.severity)},
      {"score", alert.score},
      {"identity", to_json(alert.identity)},
      {"credential", alert.credential_id.empty() ? json(nullptr) : json(alert.credential_id)},
      {"time", format_time(alert.time)},
      {"evidence", to_json(alert.evidence)},
      {"remediation", alert.remediation},
      {"status", to_string(alert.status)},
  };
}

json to_json(const Credential& credential) {
  return {
      {"id", credential.id},
      {"kind", credential.kind},
      {"status", credential.status},
      {"created", optional_time_json(credential.created)},
      {"last_used", optional_time_json(credential.last_used)},
      {"last_rotated", optional_time_json(credential.last_rotated)},
      {"expires", optional_time_json(credential.expires)},
      {"last_used_service", credential.last_used_service},
      {"last_used_region", credential.last_used_region},
  };
}

json to_json(const Grant& grant) {
  json out = {
      {"effect", grant.effect},
      {grant.not_action ? "not_actions" : "actions", grant.actions},
      {grant.not_resource ? "not_resources" : "resources", grant.resources},
      {"condition", grant.condition},
      {"source_policy", grant.source_policy},
      {"via", grant.via},
  };
  if (!grant.level.empty()) out["level"] = grant.level;
  if (!grant.resource_type.empty()) out["resource_type"] = grant.resource_type;
  if (!grant.granted_by.empty()) out["granted_by"] = grant.granted_by;
  if (!grant.origin.empty()) out["origin"] = grant.origin;
  return out;
}

json to_json(const Identity& identity, const std::vector<Credential>& credentials) {
  json credential_list = json::array();
  for (const auto& credential : credentials) credential_list.push_back(to_json(credential));
  return {
      {"platform", identity.platform},
      {"kind", identity.kind},
      {"id", identity.id},
      {"name", identity.name},
      {"account", identity.account},
      {"owner", identity.owner.empty() ? json(nullptr) : json(identity.owner)},
      {"vendor", identity.vendor.empty() ? json(nullptr) : json(identity.vendor)},
      {"status", identity.status},
      {"classification", to_string(identity.classification)},
      {"classification_reason", identity.classification_reason},
      {"created", optional_time_json(identity.created)},
      {"last_used", optional_time_json(identity.last_used)},
      {"credentials", credential_list},
  };
}

}  // namespace keyward::core
