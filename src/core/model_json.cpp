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
  return {
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
      {"first_seen", optional_time_json(finding.first_seen)},
      {"last_seen", optional_time_json(finding.last_seen)},
  };
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
