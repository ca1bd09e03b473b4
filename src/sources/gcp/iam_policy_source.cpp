// Reads IAM allow policies in two forms:
//   `gcloud projects get-iam-policy PROJECT_ID --format=json`:
//     {"bindings": [{"role", "members", "condition"}], "etag", "version"}
//   The output does not name the project, so the file must be named PROJECT_ID.iam-policy.json
//   (optionally .gz), or the policy wrapped as {"resource": "//cloudresourcemanager.googleapis.com/
//   projects/PROJECT_ID", "policy": {...}}.
//   `gcloud asset search-all-iam-policies --scope=SCOPE --format=json`: an array of
//     {"resource", "assetType", "project", "folders", "organization", "policy": {"bindings"}}
//   and the REST method searchAllIamPolicies ({"results": [...], "nextPageToken"}).
// Grants go to service accounts and workload identity principals; people, groups and domains are
// not non-human identities and are skipped.

#include "sources/gcp/iam_policy_source.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "sources/common/json_records.hpp"
#include "sources/gcp/gcp_names.hpp"
#include "sources/gcp/role_levels.hpp"

namespace keyward::sources::gcp {
namespace {

constexpr std::string_view kOrigin = "gcp.iam_policy";
constexpr std::string_view kPolicyFileSuffix = ".iam-policy.json";
constexpr std::string_view kProjectResourcePrefix = "//cloudresourcemanager.googleapis.com/projects/";
constexpr size_t kMaxBindings = 1500;  // IAM allows at most 1,500 principals per policy
constexpr size_t kMaxMembers = 10000;
constexpr size_t kMaxMemberBytes = 1024;

bool starts_json(std::string_view head) {
  const size_t first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (head[first] == '[' || head[first] == '{');
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Returns the project id from a file named PROJECT_ID.iam-policy.json[.gz], else "".
std::string project_from_path(std::string_view path) {
  std::string file = std::filesystem::path(std::string(path)).filename().string();
  if (file.size() > 3 && file.substr(file.size() - 3) == ".gz") file.resize(file.size() - 3);
  if (file.size() <= kPolicyFileSuffix.size() || file.substr(file.size() - kPolicyFileSuffix.size()) != kPolicyFileSuffix) {
    return {};
  }
  return file.substr(0, file.size() - kPolicyFileSuffix.size());
}

// "cloudresourcemanager.googleapis.com/Project" -> "project", "storage.googleapis.com/Bucket" -> "bucket".
std::string resource_type_of(std::string_view asset_type) {
  std::string type(asset_type.substr(asset_type.rfind('/') == std::string_view::npos ? 0 : asset_type.rfind('/') + 1));
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

// What the policy is attached to.
struct PolicyTarget {
  std::string resource;       // full resource name
  std::string resource_type;  // "project", "bucket", ...
  std::string project;        // project id or projects/NUMBER, when known
};

class PolicyReader {
 public:
  PolicyReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read_record(simdjson::dom::element record, const RecordPosition& position) {
    position_ = position;
    simdjson::dom::element policy;
    if (record["policy"].get(policy) == simdjson::SUCCESS) {
      PolicyTarget target;
      target.resource = std::string(string_or_empty(record, "resource"));
      if (target.resource.empty()) {
        return report("policy has no resource; expected `gcloud asset search-all-iam-policies` output; skipped");
      }
      const std::string_view asset_type = string_or_empty(record, "assetType");
      target.resource_type = asset_type.empty() ? (starts_with(target.resource, kProjectResourcePrefix) ? "project" : "")
                                                : resource_type_of(asset_type);
      target.project = std::string(string_or_empty(record, "project"));
      if (target.project.empty() && starts_with(target.resource, kProjectResourcePrefix)) {
        target.project = target.resource.substr(kProjectResourcePrefix.size());
      }
      return read_policy(policy, target);
    }
    if (record["bindings"].error() == simdjson::SUCCESS || record["etag"].error() == simdjson::SUCCESS) {
      const std::string project = project_from_path(input_.path);
      if (project.empty()) {
        return report(
            "the project of this `gcloud projects get-iam-policy` output is unknown because the output does not name "
            "it; save it as PROJECT_ID.iam-policy.json, or use `gcloud asset search-all-iam-policies`; policy skipped");
      }
      return read_policy(record, PolicyTarget{std::string(kProjectResourcePrefix) + project, "project", project});
    }
    report("not an IAM policy (no bindings or policy); skipped");
  }

 private:
  void report(std::string message) {
    ctx_.errors.push_back(RecordError{input_.path, position_.offset, position_.line, std::move(message)});
  }

  void read_policy(simdjson::dom::element policy, const PolicyTarget& target) {
    // Every principal of an exported policy is listed, so each one's earlier grants on this
    // resource are replaced even when it lost all its roles here.
    const std::string origin = fmt::format("{}:{}", kOrigin, target.resource);
    simdjson::dom::array bindings;
    if (policy["bindings"].get(bindings) != simdjson::SUCCESS) return;  // a policy without bindings grants nothing
    size_t index = 0;
    for (simdjson::dom::element binding : bindings) {
      if (index >= kMaxBindings) {
        report(fmt::format("policy of {} has over {} bindings; the rest are skipped", target.resource, kMaxBindings));
        break;
      }
      read_binding(binding, index++, target, origin);
    }
  }

  void read_binding(simdjson::dom::element binding, size_t index, const PolicyTarget& target, const std::string& origin) {
    const std::string_view role = string_or_empty(binding, "role");
    simdjson::dom::array members;
    if (role.empty() || binding["members"].get(members) != simdjson::SUCCESS) {
      return report(fmt::format("bindings[{}] of {}: missing role or members array; binding skipped", index, target.resource));
    }
    nlohmann::json condition;
    simdjson::dom::element condition_element;
    if (binding["condition"].get(condition_element) == simdjson::SUCCESS && condition_element.is_object()) {
      condition = nlohmann::json::parse(simdjson::to_string(condition_element), nullptr, false);
      if (condition.is_discarded()) condition = nullptr;
    }
    for (simdjson::dom::element member_element : members) {
      if (++members_read_ > kMaxMembers) {
        if (members_read_ == kMaxMembers + 1) report(fmt::format("input has over {} members; the rest are skipped", kMaxMembers));
        return;
      }
      std::string_view member;
      if (member_element.get(member) != simdjson::SUCCESS || member.size() > kMaxMemberBytes) continue;
      read_member(member, role, condition, target, origin);
    }
  }

  void read_member(std::string_view member, std::string_view role, const nlohmann::json& condition,
                   const PolicyTarget& target, const std::string& origin) {
    std::string identity_id;
    bool deleted = false;
    core::Identity observed;
    if (starts_with(member, "serviceAccount:")) {
      identity_id = std::string(member.substr(15));
      observed = observed_service_account(identity_id);
    } else if (starts_with(member, "deleted:serviceAccount:")) {
      // "deleted:serviceAccount:EMAIL?uid=NUMBER": the account was deleted but the binding stayed.
      std::string_view rest = member.substr(23);
      const size_t uid = rest.find("?uid=");
      identity_id = std::string(rest.substr(0, uid));
      observed = observed_service_account(identity_id);
      observed.status = "deleted";
      if (uid != std::string_view::npos) observed.attributes["deleted_unique_id"] = std::string(rest.substr(uid + 5));
      deleted = true;
    } else if (starts_with(member, "principal://") || starts_with(member, "principalSet://")) {
      identity_id = std::string(member);
      observed = observed_workload_principal(member);
    } else {
      return;  // user:, group:, domain:, allUsers, allAuthenticatedUsers, deleted:user: ...
    }
    if (identity_id.empty()) return;
    if (observed.account.empty() && observed.kind != kServiceAgentKind) observed.account = target.project;

    core::Grant grant;
    grant.platform = std::string(kPlatform);
    grant.identity_id = identity_id;
    grant.actions = {std::string(role)};
    grant.resources = {target.resource};
    grant.condition = condition;
    grant.source_policy = target.resource;
    // A binding left behind by a deleted account no longer grants anything until an account with
    // the same email is recreated and re-bound; "deleted_member" lets checks flag it as stale.
    grant.via = deleted ? "deleted_member" : "member";
    grant.level = std::string(role_level(role));
    grant.resource_type = target.resource_type;
    grant.origin = origin;
    ctx_.batch.grants.push_back(std::move(grant));

    if (replaced_.insert(identity_id + '\n' + origin).second) {
      ctx_.batch.grant_replacements.push_back(store::GrantReplacement{identity_id, origin});
    }
    if (observed_ids_.insert(identity_id).second) ctx_.batch.observed_identities.push_back(std::move(observed));
  }

  const Input& input_;
  ParseContext& ctx_;
  RecordPosition position_;
  size_t members_read_ = 0;
  std::set<std::string> replaced_;
  std::set<std::string> observed_ids_;
};

}  // namespace

std::string_view IamPolicySource::name() const { return "gcp-iam-policy"; }

std::string_view IamPolicySource::description() const {
  return "GCP IAM allow policies: `gcloud projects get-iam-policy P --format=json` saved as P.iam-policy.json, or "
         "`gcloud asset search-all-iam-policies --scope=SCOPE --format=json`";
}

int IamPolicySource::detect(std::string_view head, std::string_view path) const {
  if (!starts_json(head)) return 0;
  // Audit log entries of SetIamPolicy calls carry a policy too.
  if (has_json_key(head, "protoPayload") || has_json_key(head, "methodName")) return 0;
  const bool bindings = has_json_key(head, "bindings") && has_json_key(head, "role") && has_json_key(head, "members");
  if (has_json_key(head, "policy") && has_json_key(head, "assetType")) return 90;
  if (has_json_key(head, "policy") && has_json_key(head, "resource") && bindings) return 85;
  if (bindings && has_json_key(head, "etag")) return project_from_path(path).empty() ? 80 : 95;
  return 0;
}

core::Status IamPolicySource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.envelope_keys = {"results"};
  options.record_name = "Cloud IAM policy";
  PolicyReader reader(input, ctx);
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    reader.read_record(record, position);
  });
}

}  // namespace keyward::sources::gcp
