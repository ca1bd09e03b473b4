// Reads GET /repos/{owner}/{repo}/keys:
//   [{"id", "key", "url", "title", "verified", "created_at", "read_only", "added_by",
//     "last_used", "enabled"}]
// The repository is taken from url (https://api.github.com/repos/OWNER/REPO/keys/ID), so the
// outputs of several repositories can be concatenated into one file. The public key itself is
// not stored, only its OpenSSH SHA-256 fingerprint.

#include <fmt/format.h>

#include "sources/github/github_json.hpp"
#include "sources/github/github_sources.hpp"

namespace keyward::sources::github {
namespace {

constexpr std::string_view kOrigin = "github.deploy_keys";

void read_key(simdjson::dom::element record, const Input& input, const RecordPosition& position, ParseContext& ctx) {
  const std::string id = read_id(record, "id");
  if (id.empty()) return report(ctx, input, position, "deploy key has no id; skipped");
  const std::string repository = repository_from_api_url(string_or_empty(record, "url"));
  if (repository.empty()) {
    return report(ctx, input, position,
                  fmt::format("deploy key {} has no url of the form https://api.github.com/repos/OWNER/REPO/keys/ID, "
                              "so its repository is unknown; export it with `gh api` unchanged; skipped",
                              id));
  }
  const std::string org = repository.substr(0, repository.find('/'));
  const std::string identity_id = "deploy-key:" + id;
  const std::string_view added_by = string_or_empty(record, "added_by");
  const bool read_only = read_flag(record, "read_only").value_or(false);
  const bool enabled = read_flag(record, "enabled").value_or(true);
  const std::string_view title = string_or_empty(record, "title");

  core::Identity identity;
  identity.platform = "github";
  identity.id = identity_id;
  identity.kind = "github_deploy_key";
  identity.name = title.empty() ? fmt::format("deploy key {} on {}", id, repository) : std::string(title.substr(0, 256));
  identity.account = org;
  identity.owner = std::string(added_by);
  identity.created = read_time(record, "created_at");
  identity.last_used = read_time(record, "last_used");
  identity.status = enabled ? "active" : "disabled";
  identity.classification = core::Classification::machine;
  identity.classification_reason = "repository deploy key";
  auto& attributes = identity.attributes;
  attributes[std::string(core::attribute::kShadow)] = true;
  if (!added_by.empty()) attributes[std::string(core::attribute::kCreatedBy)] = std::string(added_by);
  attributes["repository"] = repository;
  attributes["read_only"] = read_only;
  if (auto verified = read_flag(record, "verified")) attributes["verified"] = *verified;

  core::Credential credential;
  credential.platform = "github";
  credential.id = identity_id;
  credential.identity_id = identity_id;
  credential.kind = "github_deploy_key";
  credential.status = enabled ? "active" : "inactive";
  credential.created = identity.created;
  credential.last_used = identity.last_used;
  const std::string fingerprint = ssh_key_fingerprint(string_or_empty(record, "key"));
  if (!fingerprint.empty()) credential.attributes["key_fingerprint"] = fingerprint;

  core::Grant grant;
  grant.platform = "github";
  grant.identity_id = identity_id;
  grant.actions = {read_only ? "read_only" : "read_write"};
  grant.resources = {repository};
  grant.level = read_only ? "read" : "write";
  grant.resource_type = "repository";
  grant.granted_by = std::string(added_by);
  grant.origin = std::string(kOrigin);

  ctx.batch.grant_replacements.push_back(store::GrantReplacement{identity_id, std::string(kOrigin)});
  ctx.batch.grants.push_back(std::move(grant));
  ctx.batch.identities.push_back(std::move(identity));
  ctx.batch.credentials.push_back(std::move(credential));
}

}  // namespace

std::string_view DeployKeysSource::name() const { return "github-deploy-keys"; }

std::string_view DeployKeysSource::description() const {
  return "GitHub deploy keys: `gh api --paginate /repos/OWNER/REPO/keys`, one or many repositories concatenated";
}

int DeployKeysSource::detect(std::string_view head, std::string_view /*path*/) const {
  const char first = first_significant_byte(head);
  if (first != '{' && first != '[') return 0;
  const bool fields = has_json_key(head, "key") && has_json_key(head, "read_only") && has_json_key(head, "verified");
  return fields && head.find("/keys/") != std::string_view::npos ? 85 : 0;
}

core::Status DeployKeysSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "deploy key";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    read_key(record, input, position, ctx);
  });
}

}  // namespace keyward::sources::github
