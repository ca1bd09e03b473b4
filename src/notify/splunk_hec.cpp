// Splunk HTTP Event Collector channel: POST /services/collector/event with
// "Authorization: Splunk TOKEN" and one HEC event object per alert, several per request.

#include "notify/channel.hpp"
#include "notify/http_post.hpp"

namespace keyward::notify {
namespace {

constexpr size_t kEventsPerRequest = 100;
constexpr std::string_view kEventPath = "/services/collector/event";

// Appends the event endpoint to a URL given without a path ("https://splunk.example.com:8088").
// A URL with a path is used as it is, for collectors behind a proxy with another path.
std::string event_url(const std::string& url) {
  std::string base = url;
  const size_t scheme_end = base.find("://");
  const size_t path_start = scheme_end == std::string::npos ? std::string::npos : base.find('/', scheme_end + 3);
  if (path_start == std::string::npos) return base + std::string(kEventPath);
  if (base.substr(path_start) == "/") return base.substr(0, path_start) + std::string(kEventPath);
  return base;
}

class SplunkHecChannel final : public Channel {
 public:
  explicit SplunkHecChannel(ChannelSettings settings) : Channel(std::move(settings)), host_(local_host_name()) {}

  core::Status deliver(const std::vector<core::Alert>& alerts) override {
    HttpPost request;
    request.url = event_url(settings_.url);
    request.headers.push_back("Content-Type: application/json");
    request.headers.push_back("Authorization: Splunk " + settings_.token);
    for (size_t start = 0; start < alerts.size(); start += kEventsPerRequest) {
      request.body.clear();
      for (size_t i = start; i < alerts.size() && i < start + kEventsPerRequest; ++i) {
        nlohmann::json event = {{"time", alerts[i].time},
                                {"host", host_},
                                {"source", "keyward"},
                                {"sourcetype", settings_.sourcetype},
                                {"event", alert_payload(alerts[i])}};
        if (!settings_.index.empty()) event["index"] = settings_.index;
        request.body += event.dump();
        request.body += "\n";
      }
      if (auto status = post_with_retries(request, settings_.retry, settings_.name, settings_.token); !status) return status;
    }
    return {};
  }

 private:
  std::string host_;
};

}  // namespace

std::unique_ptr<Channel> make_splunk_hec_channel(ChannelSettings settings) {
  return std::make_unique<SplunkHecChannel>(std::move(settings));
}

}  // namespace keyward::notify
