// entra.signin.device_code_to_broker: a person completes a device code sign-in
// (authenticationProtocol "deviceCode") to the Microsoft Authentication Broker app. The broker is
// the client Windows and mobile devices use to register with Entra ID, so a refresh token issued
// to it can register an attacker's device and obtain a primary refresh token, access that
// outlives a password reset. Device code phishing campaigns ask the victim to type the attacker's
// code at microsoft.com/devicelogin and switched to this client id for that reason. Ordinary
// device code use (Azure CLI, kubelogin, meeting room devices) names other apps and is left alone.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "entra.signin.device_code_to_broker";
constexpr std::string_view kTitle = "Device code sign-in to the Microsoft Authentication Broker";
// The Microsoft Authentication Broker's application id, the same in every tenant.
constexpr std::string_view kBrokerAppId = "29d9ed98-a469-4536-ade2-f981bc1d605e";

// The sign-in fields: under "properties" in diagnostic settings records, at the top in Graph.
const nlohmann::json& body_of(const nlohmann::json& record) {
  const auto properties = record.find("properties");
  return properties != record.end() && properties->is_object() ? *properties : record;
}

std::string string_at(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

class EntraDeviceCodeBrokerSignIn final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A person completes a device code sign-in to the Microsoft Authentication Broker, the device code "
           "phishing step that lets an attacker register a device and keep access after a password reset.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.actor_kind != core::ActorKind::human || event.identity_id.empty()) return;
    // A failed sign-in gave the attacker no token, and Entra ID's failure reason explains it.
    if (!event.error_code.empty()) return;
    // Skips the JSON parse for records that do not name the protocol.
    if (event.raw_record.find("deviceCode") == std::string_view::npos) return;
    const nlohmann::json record = nlohmann::json::parse(event.raw_record, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object()) return;
    const nlohmann::json& body = body_of(record);
    if (string_at(body, "authenticationProtocol") != "deviceCode") return;
    if (!equals_ignoring_case(string_at(body, "appId"), kBrokerAppId)) return;

    std::string description = fmt::format(
        "{} completed a device code sign-in to the Microsoft Authentication Broker (appId {}) for {} from {}",
        baseline::printable(event.identity_id, 120), kBrokerAppId,
        event.event_source.empty() ? std::string("an unlogged resource") : baseline::printable(event.event_source, 120),
        event.source_ip.empty() ? std::string("an unlogged address") : baseline::printable(event.source_ip, 64));
    const auto detail = body.find("deviceDetail");
    const std::string device = detail != body.end() && detail->is_object() ? string_at(*detail, "deviceId") : std::string();
    if (!device.empty()) description += fmt::format(", device id {}", baseline::printable(device, 64));
    description +=
        "; ordinary device code sign-ins name the tool being signed in (Azure CLI, kubelogin, a Teams Room), while a "
        "broker token can register a device";

    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, 80, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Ask the person whether they entered a code at microsoft.com/devicelogin to register a device. If not, "
        "revoke their sessions and disable the account ({}), then delete devices registered to them since this "
        "sign-in and block the device code flow with a Conditional Access authentication flows policy.",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", event.identity_id, aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(EntraDeviceCodeBrokerSignIn);

}  // namespace
}  // namespace keyward::detect
