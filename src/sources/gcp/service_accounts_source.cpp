// Reads `gcloud iam service-accounts list --project P --format=json`: an array of
//   {"email", "uniqueId", "name": "projects/P/serviceAccounts/EMAIL", "projectId",
//    "displayName", "description", "disabled", "oauth2ClientId", "etag"}
// and the REST method projects.serviceAccounts.list ({"accounts": [...], "nextPageToken"}),
// one output or several concatenated (one per project).

#include "sources/gcp/service_accounts_source.hpp"

#include <fmt/format.h>

#include "sources/common/json_records.hpp"
#include "sources/gcp/gcp_names.hpp"

namespace keyward::sources::gcp {
namespace {

constexpr size_t kMaxAliasBytes = 256;

bool starts_json(std::string_view head) {
  const size_t first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (head[first] == '[' || head[first] == '{');
}

void add_alias(nlohmann::json& aliases, std::string_view alias) {
  if (alias.empty() || alias.size() > kMaxAliasBytes) return;
  for (const auto& existing : aliases) {
    if (existing == alias) return;
  }
  aliases.push_back(std::string(alias));
}

// Converts one service account. Returns an error message, or "" on success.
std::string convert(simdjson::dom::element record, core::Identity& identity) {
  std::string_view email = string_or_empty(record, "email");
  const std::string_view name = string_or_empty(record, "name");
  std::string from_name;
  if (email.empty()) {
    from_name = service_account_of_resource(name);
    email = from_name;
  }
  if (email.empty() || email.find('@') == std::string_view::npos) {
    return "missing email (and name has no projects/P/serviceAccounts/EMAIL); is this `gcloud iam "
           "service-accounts list --format=json` output?";
  }

  identity.platform = std::string(kPlatform);
  identity.id = std::string(email);
  identity.kind = std::string(service_account_kind(email));
  const std::string_view display_name = string_or_empty(record, "displayName");
  identity.name = display_name.empty() ? std::string(email.substr(0, email.find('@'))) : std::string(display_name);
  identity.account = std::string(string_or_empty(record, "projectId"));
  if (identity.account.empty() && name.substr(0, 9) == "projects/") {
    identity.account = std::string(name.substr(9, name.find('/', 9) - 9));
  }
  bool disabled = false;
  if (record["disabled"].get(disabled) != simdjson::SUCCESS) disabled = false;  // absent or null: enabled
  identity.status = disabled ? "disabled" : "active";
  identity.classification = core::Classification::machine;
  identity.classification_reason = "GCP service account";
  if (identity.kind == kServiceAgentKind) identity.vendor = "Google";

  nlohmann::json aliases = nlohmann::json::array();
  add_alias(aliases, string_or_empty(record, "uniqueId"));
  add_alias(aliases, string_or_empty(record, "oauth2ClientId"));
  if (!aliases.empty()) identity.attributes[std::string(core::attribute::kAliases)] = std::move(aliases);
  const std::string_view description = string_or_empty(record, "description");
  if (!description.empty()) {
    identity.attributes["description"] = std::string(description);
    identity.owner = owner_from_description(description);
  }
  if (!display_name.empty()) identity.attributes["display_name"] = std::string(display_name);
  identity.attributes["source"] = "gcp-service-accounts";
  return {};
}

}  // namespace

std::string_view ServiceAccountsSource::name() const { return "gcp-service-accounts"; }

std::string_view ServiceAccountsSource::description() const {
  return "GCP service accounts: `gcloud iam service-accounts list --project P --format=json`";
}

int ServiceAccountsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_json(head)) return 0;
  if (has_json_key(head, "protoPayload")) return 0;
  const bool ids = has_json_key(head, "uniqueId") && has_json_key(head, "email");
  if (!ids) return 0;
  if (has_json_key(head, "oauth2ClientId") || head.find("/serviceAccounts/") != std::string_view::npos) return 90;
  return 0;
}

core::Status ServiceAccountsSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.envelope_keys = {"accounts"};
  options.record_name = "service account";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    simdjson::dom::object object;
    // The REST method returns {} for a project without service accounts.
    if (record.get(object) == simdjson::SUCCESS && object.size() == 0) return;
    core::Identity identity;
    const std::string error = convert(record, identity);
    if (!error.empty()) {
      ctx.errors.push_back(RecordError{input.path, position.offset, position.line, error + "; service account skipped"});
      return;
    }
    ctx.batch.identities.push_back(std::move(identity));
  });
}

}  // namespace keyward::sources::gcp
