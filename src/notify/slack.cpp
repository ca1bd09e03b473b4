// Slack incoming-webhook channel: one message per alert with a plain `text` fallback (shown in
// notifications) and Block Kit `blocks` (header, fields, evidence, remediation, the ack command).
// Block Kit limits: header text 150 characters, section text 3000, at most 10 fields of 2000.

#include <fmt/format.h>

#include "core/time.hpp"
#include "notify/channel.hpp"
#include "notify/http_post.hpp"
#include "report/findings_output.hpp"

namespace keyward::notify {
namespace {

using nlohmann::json;

constexpr size_t kMaxHeader = 150;
constexpr size_t kMaxSectionText = 3000;
constexpr size_t kMaxField = 2000;
constexpr size_t kMaxEvidenceLines = 5;
// Alerts sent one message each; the rest of a larger batch go into one summary message, because
// an incoming webhook accepts about one message per second (Slack rate limits).
constexpr size_t kMaxMessagesPerBatch = 20;

// Escapes the three characters that Slack mrkdwn treats as control sequences.
std::string escape_mrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out.push_back(c);
  }
  return out;
}

// Cuts `text` to at most `limit` bytes at a UTF-8 character boundary, ending with "...".
std::string cut(std::string text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

json mrkdwn(std::string text, size_t limit) { return {{"type", "mrkdwn"}, {"text", cut(std::move(text), limit)}}; }

std::string severity_label(core::Severity severity) {
  std::string label(core::to_string(severity));
  label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

std::string identity_label(const core::Alert& alert) {
  return alert.identity.name.empty() ? alert.identity.id : alert.identity.name;
}

json slack_message(const core::Alert& alert) {
  const std::string id = report::alert_id(alert);
  json fields = json::array();
  fields.push_back(mrkdwn("*Identity*\n" + escape_mrkdwn(identity_label(alert)), kMaxField));
  fields.push_back(mrkdwn("*Platform*\n" + escape_mrkdwn(alert.identity.platform), kMaxField));
  fields.push_back(mrkdwn(fmt::format("*Severity*\n{} (score {})", core::to_string(alert.severity), alert.score), kMaxField));
  fields.push_back(mrkdwn("*Time*\n" + core::format_time(alert.time), kMaxField));
  fields.push_back(mrkdwn("*Detector*\n`" + escape_mrkdwn(alert.detector) + "`", kMaxField));
  if (!alert.credential_id.empty()) fields.push_back(mrkdwn("*Credential*\n`" + escape_mrkdwn(alert.credential_id) + "`", kMaxField));

  json blocks = json::array();
  blocks.push_back({{"type", "header"},
                    {"text", {{"type", "plain_text"}, {"text", cut(severity_label(alert.severity) + ": " + alert.title, kMaxHeader)}}}});
  blocks.push_back({{"type", "section"}, {"fields", fields}});
  if (!alert.evidence.empty()) {
    std::string evidence = "*Evidence*";
    for (size_t i = 0; i < alert.evidence.size() && i < kMaxEvidenceLines; ++i) {
      evidence += "\n• " + escape_mrkdwn(alert.evidence[i].description);
    }
    if (alert.evidence.size() > kMaxEvidenceLines) evidence += fmt::format("\n…and {} more", alert.evidence.size() - kMaxEvidenceLines);
    blocks.push_back({{"type", "section"}, {"text", mrkdwn(evidence, kMaxSectionText)}});
  }
  if (!alert.remediation.empty()) {
    blocks.push_back({{"type", "section"}, {"text", mrkdwn("*Remediation*\n" + escape_mrkdwn(alert.remediation), kMaxSectionText)}});
  }
  blocks.push_back({{"type", "context"},
                    {"elements", json::array({mrkdwn(fmt::format("Alert `{}` · `keyward alert ack {} --reason ...`", id, id),
                                                     kMaxSectionText)})}});

  const std::string text = fmt::format("[{}] {} ({} on {})", core::to_string(alert.severity), escape_mrkdwn(alert.title),
                                       escape_mrkdwn(identity_label(alert)), escape_mrkdwn(alert.identity.platform));
  return {{"text", cut(text, kMaxSectionText)}, {"blocks", blocks}};
}

json summary_message(const std::vector<core::Alert>& rest) {
  std::string text = fmt::format("{} more new keyward alerts; `keyward alerts` lists them all.", rest.size());
  return {{"text", text}, {"blocks", json::array({{{"type", "section"}, {"text", mrkdwn(text, kMaxSectionText)}}})}};
}

class SlackChannel final : public Channel {
 public:
  using Channel::Channel;

  core::Status deliver(const std::vector<core::Alert>& alerts) override {
    std::vector<json> messages;
    for (size_t i = 0; i < alerts.size() && i < kMaxMessagesPerBatch; ++i) messages.push_back(slack_message(alerts[i]));
    if (alerts.size() > kMaxMessagesPerBatch) {
      messages.push_back(summary_message(std::vector<core::Alert>(alerts.begin() + kMaxMessagesPerBatch, alerts.end())));
    }

    HttpPost request;
    request.url = settings_.url;
    request.headers.push_back("Content-Type: application/json");
    for (const auto& message : messages) {
      request.body = message.dump();
      // The webhook URL is the credential, so its path is scrubbed from any quoted response too.
      if (auto status = post_with_retries(request, settings_.retry, settings_.name, settings_.url); !status) return status;
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<Channel> make_slack_channel(ChannelSettings settings) {
  return std::make_unique<SlackChannel>(std::move(settings));
}

}  // namespace keyward::notify
