// Reads GET /repos/{owner}/{repo}/hooks and GET /orgs/{org}/hooks:
//   [{"type": "Repository"|"Organization", "id", "name", "active", "events",
//     "config": {"url", "content_type", "insecure_ssl", "secret"}, "created_at", "updated_at",
//     "url", "last_response": {"code", "status", "message"}}]
// Only the receiving host is kept from config.url, because the path or query may carry a token.
// config.secret is never read beyond whether it is set (GitHub returns it masked, but a copy
// made another way may hold the value).

#include <fmt/format.h>

#include "sources/github/github_json.hpp"
#include "sources/github/github_sources.hpp"

namespace keyward::sources::github {
namespace {

void read_hook(simdjson::dom::element record, const Input& input, const RecordPosition& position, ParseContext& ctx) {
  const std::string id = read_id(record, "id");
  if (id.empty()) return report(ctx, input, position, "webhook has no id; skipped");
  const std::string_view api_url = string_or_empty(record, "url");
  const std::string repository = repository_from_api_url(api_url);
  const std::string org = repository.empty() ? organization_from_api_url(api_url) : repository.substr(0, repository.find('/'));

  std::string host, scheme, content_type;
  bool secret_configured = false;
  std::optional<bool> insecure_ssl;
  simdjson::dom::element config;
  if (record["config"].get(config) == simdjson::SUCCESS && config.is_object()) {
    const std::string_view receiver = string_or_empty(config, "url");
    host = url_host(receiver);
    scheme = url_scheme(receiver);
    content_type = std::string(string_or_empty(config, "content_type").substr(0, 64));
    secret_configured = !string_or_empty(config, "secret").empty();
    insecure_ssl = read_flag(config, "insecure_ssl");
  }
  const bool active = read_flag(record, "active").value_or(true);

  core::Identity identity;
  identity.platform = "github";
  identity.id = "webhook:" + id;
  identity.kind = "github_webhook";
  identity.name = host.empty() ? fmt::format("webhook {}", id) : host;
  identity.account = org;
  identity.created = read_time(record, "created_at");
  identity.status = active ? "active" : "disabled";
  identity.classification = core::Classification::machine;
  identity.classification_reason = "webhook";
  auto& attributes = identity.attributes;
  attributes["hook_type"] = std::string(string_or_empty(record, "type"));
  if (!repository.empty()) attributes["repository"] = repository;
  attributes["receiver_host"] = host;
  attributes["receiver_scheme"] = scheme;
  attributes["secret_configured"] = secret_configured;
  attributes["insecure_ssl"] = insecure_ssl.value_or(false);
  attributes["content_type"] = content_type;
  if (auto updated = read_time(record, "updated_at")) attributes["updated_at"] = core::format_time(*updated);
  simdjson::dom::array events;
  if (record["events"].get(events) == simdjson::SUCCESS) {
    nlohmann::json list = nlohmann::json::array();
    for (simdjson::dom::element event : events) {
      std::string_view name;
      if (event.get(name) == simdjson::SUCCESS && list.size() < kMaxPermissionsPerRecord) list.push_back(std::string(name));
    }
    attributes["events"] = std::move(list);
  }
  simdjson::dom::element last_response;
  if (record["last_response"].get(last_response) == simdjson::SUCCESS && last_response.is_object()) {
    attributes["last_response_code"] = read_id(last_response, "code");
    attributes["last_response_status"] = std::string(string_or_empty(last_response, "status").substr(0, 64));
  }

  ctx.batch.identities.push_back(std::move(identity));
}

}  // namespace

std::string_view WebhooksSource::name() const { return "github-webhooks"; }

std::string_view WebhooksSource::description() const {
  return "GitHub webhooks: `gh api --paginate /repos/OWNER/REPO/hooks` or `/orgs/ORG/hooks`";
}

int WebhooksSource::detect(std::string_view head, std::string_view /*path*/) const {
  const char first = first_significant_byte(head);
  if (first != '{' && first != '[') return 0;
  const bool fields = has_json_key(head, "config") && has_json_key(head, "events") && has_json_key(head, "active");
  // Repository hooks carry last_response; the organization hook schema may omit it but always
  // has ping_url.
  return fields && (has_json_key(head, "last_response") || has_json_key(head, "ping_url")) ? 90 : 0;
}

core::Status WebhooksSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "webhook";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    read_hook(record, input, position, ctx);
  });
}

}  // namespace keyward::sources::github
