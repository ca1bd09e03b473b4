// Generic webhook channel: one POST per alert with the alert as a JSON object, and the token, when
// one is configured, as "Authorization: Bearer TOKEN".

#include "notify/channel.hpp"
#include "notify/http_post.hpp"

namespace keyward::notify {
namespace {

class WebhookChannel final : public Channel {
 public:
  using Channel::Channel;

  core::Status deliver(const std::vector<core::Alert>& alerts) override {
    HttpPost request;
    request.url = settings_.url;
    request.headers.push_back("Content-Type: application/json");
    if (!settings_.token.empty()) request.headers.push_back("Authorization: Bearer " + settings_.token);
    for (const auto& alert : alerts) {
      request.body = alert_payload(alert).dump();
      if (auto status = post_with_retries(request, settings_.retry, settings_.name, settings_.token); !status) return status;
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<Channel> make_webhook_channel(ChannelSettings settings) {
  return std::make_unique<WebhookChannel>(std::move(settings));
}

}  // namespace keyward::notify
