// Source "aws-authorization-details": the JSON that `aws iam get-account-authorization-details`
// prints. It emits an Identity for every IAM user and role, but none for groups and managed
// policies, which are not principals. Each principal gets one Grant per statement of every policy
// that applies to it: inline policies, attached managed policies (their default version) and,
// for users, the inline and attached policies of their groups.

#include "sources/aws/authorization_details_source.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <utility>

#include "sources/aws/authorization_details_documents.hpp"
#include "sources/aws/authorization_details_principals.hpp"

namespace keyward::sources::aws {
namespace {

using nlohmann::json;

// The whole export is held as a JSON tree, which takes several times the file size in memory.
// Exports of the largest accounts run to tens of megabytes.
constexpr std::size_t kMaxInputBytes = 256u << 20;

constexpr std::string_view kAdministratorAccessArn = "arn:aws:iam::aws:policy/AdministratorAccess";

constexpr const char* kListKeys[] = {"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"};

// Returns true when `object` has the boolean member `key` set to true. Unlike json::value(), a
// member of another type is not an exception but simply not true.
bool is_true(const json& object, const char* key) {
  auto value = object.find(key);
  return value != object.end() && value->is_boolean() && value->get<bool>();
}

struct ManagedPolicy {
  std::vector<core::Grant> statements;
  bool readable = false;  // false: the document could not be read, so the policy is unresolved
};

struct InlinePolicy {
  std::string name;
  std::vector<core::Grant> statements;
  bool readable = false;
};

struct Group {
  std::vector<InlinePolicy> inline_policies;
  std::vector<std::string> attached_arns;
};

// The principal a policy applies to, and the path it came through.
struct Origin {
  core::Identity* identity = nullptr;
  std::string via;  // "user", "role" or "group:<name>"
};

class ExportReader {
 public:
  ExportReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(const json& root) {
    if (is_true(root, "IsTruncated")) {
      report("/IsTruncated: the export is truncated, so later principals are missing. Run the aws "
             "CLI without --max-items so that it fetches every page.");
    }
    for_each_entry(root, "Policies", [this](const json& entry, const std::string& pointer) {
      index_policy(entry, pointer);
    });
    for_each_entry(root, "GroupDetailList", [this](const json& entry, const std::string& pointer) {
      index_group(entry, pointer);
    });
    for_each_entry(root, "UserDetailList", [this](const json& entry, const std::string& pointer) {
      read_principal(entry, pointer, true);
    });
    for_each_entry(root, "RoleDetailList", [this](const json& entry, const std::string& pointer) {
      read_principal(entry, pointer, false);
    });
  }

 private:
  template <class Visit>
  void for_each_entry(const json& root, const char* key, Visit visit) {
    auto list = root.find(key);
    if (list == root.end()) return;
    if (!list->is_array()) {
      report(fmt::format("/{}: expected an array; the list was skipped", key));
      return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) visit((*list)[i], fmt::format("/{}/{}", key, i));
  }

  void report(std::string message) {
    ctx_.errors.push_back(RecordError{input_.path, -1, -1, std::move(message)});
  }

  std::vector<core::Grant> read_document(const json& value, const std::string& pointer, bool& readable) {
    auto document = read_policy_document(value);
    if (!document) {
      report(fmt::format("{}: {}. The policy is recorded as unresolved.", pointer, document.error().message));
      readable = false;
      return {};
    }
    readable = true;
    std::vector<std::string> problems;
    std::vector<core::Grant> statements = read_statements(*document, pointer, problems);
    for (auto& problem : problems) report(std::move(problem));
    return statements;
  }

  // Returns the index in PolicyVersionList of the default version that has a Document: the one
  // marked IsDefaultVersion, else the one whose VersionId is DefaultVersionId.
  static std::optional<std::size_t> default_version(const json& policy) {
    auto versions = policy.find("PolicyVersionList");
    if (versions == policy.end() || !versions->is_array()) return std::nullopt;
    std::string default_id = string_field(policy, "DefaultVersionId");
    std::optional<std::size_t> by_id;
    for (std::size_t i = 0; i < versions->size(); ++i) {
      const json& version = (*versions)[i];
      if (!version.is_object() || !version.contains("Document")) continue;
      if (is_true(version, "IsDefaultVersion")) return i;
      if (!default_id.empty() && string_field(version, "VersionId") == default_id) by_id = i;
    }
    return by_id;
  }

  void index_policy(const json& policy, const std::string& pointer) {
    std::string arn = string_field(policy, "Arn");
    if (arn.empty()) {
      report(fmt::format("{}: managed policy has no Arn; skipped", pointer));
      return;
    }
    std::optional<std::size_t> version = default_version(policy);
    if (!version) {
      report(fmt::format("{}/PolicyVersionList: no default version with a Document. {} is recorded as "
                         "unresolved.", pointer, arn));
      policies_[arn] = ManagedPolicy{};
      return;
    }
    ManagedPolicy managed;
    const json& document = policy.at("PolicyVersionList").at(*version).at("Document");
    std::string document_pointer = fmt::format("{}/PolicyVersionList/{}/Document", pointer, *version);
    managed.statements = read_document(document, document_pointer, managed.readable);
    policies_[arn] = std::move(managed);
  }

  std::vector<InlinePolicy> read_inline_policies(const json& entry, const char* key, const std::string& pointer) {
    std::vector<InlinePolicy> policies;
    auto list = entry.find(key);
    if (list == entry.end() || !list->is_array()) return policies;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& item = (*list)[i];
      std::string item_pointer = fmt::format("{}/{}/{}", pointer, key, i);
      InlinePolicy policy;
      policy.name = string_field(item, "PolicyName");
      if (policy.name.empty() || !item.contains("PolicyDocument")) {
        report(fmt::format("{}: inline policy needs PolicyName and PolicyDocument; skipped", item_pointer));
        continue;
      }
      policy.statements = read_document(item.at("PolicyDocument"), item_pointer + "/PolicyDocument", policy.readable);
      policies.push_back(std::move(policy));
    }
    return policies;
  }

  static std::vector<std::string> attached_arns(const json& entry) {
    std::vector<std::string> arns;
    auto list = entry.find("AttachedManagedPolicies");
    if (list == entry.end() || !list->is_array()) return arns;
    for (const auto& item : *list) {
      std::string arn = string_field(item, "PolicyArn");
      if (!arn.empty()) arns.push_back(std::move(arn));
    }
    return arns;
  }

  void index_group(const json& entry, const std::string& pointer) {
    std::string name = string_field(entry, "GroupName");
    if (name.empty()) {
      report(fmt::format("{}: group has no GroupName; skipped", pointer));
      return;
    }
    Group group;
    group.inline_policies = read_inline_policies(entry, "GroupPolicyList", pointer);
    group.attached_arns = attached_arns(entry);
    groups_[name] = std::move(group);
  }

  void read_principal(const json& entry, const std::string& pointer, bool is_user) {
    if (string_field(entry, "Arn").empty()) {
      report(fmt::format("{}: {} has no Arn; skipped", pointer, is_user ? "user" : "role"));
      return;
    }
    core::Identity identity = is_user ? read_user_identity(entry) : read_role_identity(entry, trust_policy(entry, pointer));
    identity.attributes["unresolved_policies"] = json::array();

    Origin origin{&identity, is_user ? "user" : "role"};
    for (const auto& policy : read_inline_policies(entry, is_user ? "UserPolicyList" : "RolePolicyList", pointer)) {
      add_inline(policy, origin);
    }
    for (const auto& arn : attached_arns(entry)) add_managed(arn, origin);
    if (is_user) add_group_policies(identity);

    if (identity.attributes["unresolved_policies"].empty()) identity.attributes.erase("unresolved_policies");
    ctx_.batch.grant_identities.push_back(identity.id);
    ctx_.batch.identities.push_back(std::move(identity));
    ++ctx_.records;
  }

  json trust_policy(const json& role, const std::string& pointer) {
    auto value = role.find("AssumeRolePolicyDocument");
    if (value == role.end()) return nullptr;
    auto document = read_policy_document(*value);
    if (!document) {
      report(fmt::format("{}/AssumeRolePolicyDocument: {}. The role is classified without it.", pointer,
                         document.error().message));
      return nullptr;
    }
    return std::move(document).value();
  }

  void add_group_policies(core::Identity& identity) {
    for (const auto& name : identity.attributes["groups"]) {
      std::string group_name = name.get<std::string>();
      Origin origin{&identity, "group:" + group_name};
      auto group = groups_.find(group_name);
      if (group == groups_.end()) {
        note_unresolved(origin, "group:" + group_name);
        continue;
      }
      for (const auto& policy : group->second.inline_policies) add_inline(policy, origin);
      for (const auto& arn : group->second.attached_arns) add_managed(arn, origin);
    }
  }

  void add_inline(const InlinePolicy& policy, const Origin& origin) {
    std::string source = "inline:" + policy.name;
    if (!policy.readable) {
      add_placeholder(source, origin);
      return;
    }
    add_statements(policy.statements, source, origin);
  }

  // Adds the statements of an attached managed policy, or a placeholder row when the export
  // does not contain a readable copy of it.
  void add_managed(const std::string& arn, const Origin& origin) {
    auto policy = policies_.find(arn);
    if (policy != policies_.end() && policy->second.readable) {
      add_statements(policy->second.statements, arn, origin);
      return;
    }
    if (policy == policies_.end() && arn == kAdministratorAccessArn) {
      // Exports filtered to local policies omit AWS managed ones. The default version of this
      // one (v1 in the exports seen so far) is a single statement: Allow "*" on "*".
      core::Grant everything;
      everything.platform = "aws";
      everything.actions = {"*"};
      everything.resources = {"*"};
      add_statements({everything}, arn, origin);
      return;
    }
    add_placeholder(arn, origin);
  }

  void add_statements(const std::vector<core::Grant>& statements, const std::string& source, const Origin& origin) {
    for (const auto& statement : statements) {
      core::Grant grant = statement;
      grant.identity_id = origin.identity->id;
      grant.source_policy = source;
      grant.via = origin.via;
      ctx_.batch.grants.push_back(std::move(grant));
    }
  }

  // Keeps a row naming a policy whose statements are unknown, so the inventory still shows the
  // attachment. The row has no actions, so policy evaluation ignores it.
  void add_placeholder(const std::string& source, const Origin& origin) {
    core::Grant grant;
    grant.platform = "aws";
    grant.identity_id = origin.identity->id;
    grant.source_policy = source;
    grant.via = origin.via;
    ctx_.batch.grants.push_back(std::move(grant));
    note_unresolved(origin, source);
  }

  static void note_unresolved(const Origin& origin, const std::string& source) {
    origin.identity->attributes["unresolved_policies"].push_back(json{{"policy", source}, {"via", origin.via}});
  }

  const Input& input_;
  ParseContext& ctx_;
  std::map<std::string, ManagedPolicy> policies_;
  std::map<std::string, Group> groups_;
};

bool has_list_key(const json& root) {
  for (const char* key : kListKeys) {
    if (root.contains(key)) return true;
  }
  return false;
}

}  // namespace

std::string_view AuthorizationDetailsSource::name() const { return "aws-authorization-details"; }

std::string_view AuthorizationDetailsSource::description() const {
  return "IAM users, roles and their policies: JSON from `aws iam get-account-authorization-details`";
}

int AuthorizationDetailsSource::detect(std::string_view head, std::string_view /*path*/) const {
  std::size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || head[first] != '{') return 0;
  if (head.find("\"UserDetailList\"") != std::string_view::npos ||
      head.find("\"RoleDetailList\"") != std::string_view::npos ||
      head.find("\"GroupDetailList\"") != std::string_view::npos) {
    return 90;
  }
  // An export filtered to managed policies (--filter LocalManagedPolicy) has only Policies.
  if (head.find("\"Policies\"") != std::string_view::npos &&
      head.find("\"PolicyVersionList\"") != std::string_view::npos) {
    return 60;
  }
  return 0;
}

core::Status AuthorizationDetailsSource::parse(const Input& input, ParseContext& ctx) const {
  if (input.data.size() > kMaxInputBytes) {
    core::Error error = core::make_error(
        core::ErrorCode::limit_exceeded,
        fmt::format("authorization details export is {} bytes, over the {} byte limit", input.data.size(),
                    kMaxInputBytes));
    error.file = input.path;
    return error;
  }
  auto root = parse_bounded_json(input.data);
  if (!root) {
    core::Error error = root.error();
    error.file = input.path;
    return error;
  }
  if (!root->is_object() || !has_list_key(*root)) {
    core::Error error = core::make_error(
        core::ErrorCode::unsupported_format,
        "not an authorization details export: expected a JSON object with UserDetailList, "
        "GroupDetailList, RoleDetailList or Policies");
    error.file = input.path;
    return error;
  }
  ExportReader(input, ctx).read(*root);
  return {};
}

}  // namespace keyward::sources::aws
