// Reads `gcloud iam service-accounts keys list --iam-account=EMAIL --format=json`: an array of
//   {"name": "projects/P/serviceAccounts/EMAIL/keys/KEY_ID", "validAfterTime", "validBeforeTime",
//    "keyAlgorithm", "keyOrigin", "keyType", "disabled"}
// and the REST method projects.serviceAccounts.keys.list ({"keys": [...]}). A loop over service
// accounts prints one output per account, so outputs may be concatenated or one per line.

#include "sources/gcp/service_account_keys_source.hpp"

#include <fmt/format.h>

#include <set>

#include "sources/common/json_records.hpp"
#include "sources/gcp/gcp_names.hpp"

namespace keyward::sources::gcp {
namespace {

constexpr size_t kMaxKeyIdBytes = 128;

bool starts_json(std::string_view head) {
  const size_t first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (head[first] == '[' || head[first] == '{');
}

// Converts one key. Returns an error message, or "" on success.
std::string convert(simdjson::dom::element record, core::Credential& credential) {
  const std::string_view name = string_or_empty(record, "name");
  if (name.empty()) return "missing name (projects/P/serviceAccounts/EMAIL/keys/KEY_ID)";
  const auto parts = parse_key_name(name);
  if (!parts) return fmt::format("name '{}' is not projects/P/serviceAccounts/EMAIL/keys/KEY_ID", name.substr(0, 200));
  if (parts->key_id.size() > kMaxKeyIdBytes) return "key id in name is over 128 characters";

  credential.platform = std::string(kPlatform);
  credential.id = parts->key_id;
  credential.identity_id = parts->service_account;
  credential.kind = std::string(kKeyKind);

  const std::string_view valid_after = string_or_empty(record, "validAfterTime");
  if (!valid_after.empty()) {
    credential.created = core::parse_time(valid_after);
    if (!credential.created) return fmt::format("validAfterTime '{}' is not an RFC 3339 time", valid_after.substr(0, 64));
    credential.last_rotated = credential.created;
  }
  const std::string_view valid_before = string_or_empty(record, "validBeforeTime");
  if (!valid_before.empty()) {
    const auto expires = core::parse_time(valid_before);
    if (!expires) return fmt::format("validBeforeTime '{}' is not an RFC 3339 time", valid_before.substr(0, 64));
    credential.expires = key_expiry(*expires);
  }
  bool disabled = false;
  if (record["disabled"].get(disabled) != simdjson::SUCCESS) disabled = false;  // absent or null: enabled
  credential.status = disabled ? "inactive" : "active";

  const std::string_view key_type = string_or_empty(record, "keyType");
  if (!key_type.empty()) credential.attributes["key_type"] = std::string(key_type);
  const std::string_view key_origin = string_or_empty(record, "keyOrigin");
  if (!key_origin.empty()) credential.attributes["key_origin"] = std::string(key_origin);
  const std::string_view algorithm = string_or_empty(record, "keyAlgorithm");
  if (!algorithm.empty()) credential.attributes["algorithm"] = std::string(algorithm);
  credential.attributes["project"] = parts->project;
  credential.attributes["source"] = "gcp-service-account-keys";
  return {};
}

}  // namespace

std::string_view ServiceAccountKeysSource::name() const { return "gcp-service-account-keys"; }

std::string_view ServiceAccountKeysSource::description() const {
  return "GCP service account keys: `gcloud iam service-accounts keys list --iam-account=EMAIL --format=json`, "
         "one or many (concatenated or one per line)";
}

int ServiceAccountKeysSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_json(head) || has_json_key(head, "protoPayload")) return 0;
  if (!has_json_key(head, "validAfterTime") || !has_json_key(head, "name")) return 0;
  if (has_json_key(head, "keyType") || has_json_key(head, "keyAlgorithm") || has_json_key(head, "keyOrigin")) return 90;
  return 0;
}

core::Status ServiceAccountKeysSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.envelope_keys = {"keys"};
  options.record_name = "service account key";
  std::set<std::string> observed;
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    simdjson::dom::object object;
    // The REST method returns {} for an account without keys.
    if (record.get(object) == simdjson::SUCCESS && object.size() == 0) return;
    core::Credential credential;
    const std::string error = convert(record, credential);
    if (!error.empty()) {
      ctx.errors.push_back(RecordError{input.path, position.offset, position.line, error + "; key skipped"});
      return;
    }
    // The holder may not be in this ingest; keep it visible without overwriting an inventory.
    if (credential.identity_id.find('@') != std::string::npos && observed.insert(credential.identity_id).second) {
      ctx.batch.observed_identities.push_back(observed_service_account(credential.identity_id));
    }
    ctx.batch.credentials.push_back(std::move(credential));
  });
}

}  // namespace keyward::sources::gcp
