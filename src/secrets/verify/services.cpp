#include "secrets/verify/services.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "notify/channel.hpp"

namespace keyward::secrets::verification {

Exchange send_get(const VerifyCall& call, std::string_view path, std::vector<std::string> headers) {
  HttpRequest request;
  request.url = call.base_url + std::string(path);
  request.headers = std::move(headers);
  Exchange exchange{request.url, call.http.send(request)};
  return exchange;
}

VerifyResult classify(const Exchange& exchange, Forbidden forbidden) {
  const long status = exchange.response.status;
  const std::string host = notify::redact_url(exchange.url);
  if (status >= 200 && status <= 299) return {VerifyState::active, ""};
  if (status == 401) return {VerifyState::inactive, fmt::format("rejected by {} (HTTP 401)", host)};
  if (status == 403 && forbidden == Forbidden::inactive) {
    return {VerifyState::inactive, fmt::format("rejected by {} (HTTP 403)", host)};
  }
  if (status == 403) {
    return {VerifyState::active, fmt::format("accepted by {}, but not allowed to make this call (HTTP 403)", host)};
  }
  if (status >= 300 && status <= 399) {
    return {VerifyState::unknown, fmt::format("HTTP {} from {}; redirects are not followed, so set the endpoint to the "
                                              "URL it redirects to",
                                              status, host)};
  }
  return {VerifyState::unknown, describe_failure(exchange.response, exchange.url)};
}

std::string json_string(std::string_view body, std::initializer_list<std::string_view> keys) {
  const nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded()) return "";
  const nlohmann::json* node = &document;
  for (const std::string_view key : keys) {
    if (!node->is_object()) return "";
    const auto child = node->find(key);
    if (child == node->end()) return "";
    node = &*child;
  }
  return node->is_string() ? node->get<std::string>() : "";
}

std::string account_detail(const VerifyCall& call, std::string_view label, std::string_view value) {
  if (value.empty()) return "";
  return fmt::format("{} {}", label, sanitize_detail(value, {call.secret, call.paired}, 64));
}

std::string bearer(std::string_view secret) { return "Authorization: Bearer " + std::string(secret); }

}  // namespace keyward::secrets::verification
