#pragma once

// JSON forms of the model records, shared by the store (evidence columns) and the JSON output.
// Times are RFC 3339 UTC strings; absent optional times are null.

#include <nlohmann/json.hpp>

#include "core/model.hpp"

namespace keyward::core {

nlohmann::json to_json(const Evidence& evidence);
Evidence evidence_from_json(const nlohmann::json& json);

nlohmann::json to_json(const std::vector<Evidence>& evidence);
std::vector<Evidence> evidence_list_from_json(const nlohmann::json& json);

nlohmann::json to_json(const IdentityRef& identity);
nlohmann::json to_json(const Finding& finding);
// The finding's risk factors, context and remediation details, which the store keeps in one JSON
// column; read_finding_details fills them back and ignores missing or mistyped members.
nlohmann::json finding_details_json(const Finding& finding);
void read_finding_details(const nlohmann::json& details, Finding& finding);
nlohmann::json to_json(const Alert& alert);
nlohmann::json to_json(const Credential& credential);
nlohmann::json to_json(const Grant& grant);
// `credentials` are listed inside the identity.
nlohmann::json to_json(const Identity& identity, const std::vector<Credential>& credentials);

nlohmann::json optional_time_json(const std::optional<UnixTime>& time);

}  // namespace keyward::core
