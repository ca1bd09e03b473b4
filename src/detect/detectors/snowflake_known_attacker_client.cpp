// snowflake.known_attacker_client: a Snowflake session whose CLIENT_ENVIRONMENT names a client
// that the 2024 UNC5537 data-theft campaign used against Snowflake customers.
//
// Sources:
// - Mandiant, "UNC5537 Targets Snowflake Customer Instances for Data Theft and Extortion",
//   June 2024, https://cloud.google.com/blog/topics/threat-intelligence/unc5537-snowflake-data-theft-extortion.
//   FROSTBITE, the actor's reconnaissance utility, exists in .NET and Java versions and reports
//   the client application "rapeflake". The actor also used DBeaver Ultimate.
// - Snowflake, "Detecting and Preventing Unauthorized User Access: Instructions", community
//   knowledge base, June 2024, https://community.snowflake.com/s/article/Communication-ID-0108977-Additional-Information.
//   Its SESSIONS query matches CLIENT_ENVIRONMENT APPLICATION 'rapeflake', or APPLICATION
//   'DBeaver_DBeaverUltimate' together with OS 'Windows Server 2022'.
//
// FROSTBITE is the actor's own tool, so its sessions are critical. DBeaver Ultimate is a commercial
// product that analysts run every day, and only the pairing with Windows Server 2022 was
// reported for the campaign, so those sessions are high.
//
// LOGIN_HISTORY's REPORTED_CLIENT_TYPE and REPORTED_CLIENT_VERSION carry no such signal: they name
// the Snowflake driver (JDBC_DRIVER, ODBC_DRIVER, ...), which FROSTBITE and DBeaver share with
// legitimate clients, and Snowflake documents both as not authenticated. Neither source above
// lists a value there, so this detector reads SESSIONS only.

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "snowflake.known_attacker_client";
constexpr std::string_view kTitle = "Snowflake session from a client used by the UNC5537 campaign";
const std::string kDimension = "snowflake_client_application";

// One reported client. Both fields must equal the trimmed CLIENT_ENVIRONMENT values, ignoring
// letter case. An empty `os` matches any operating system.
struct ClientSignature {
  std::string_view application;  // CLIENT_ENVIRONMENT.APPLICATION
  std::string_view os;           // CLIENT_ENVIRONMENT.OS
  std::string_view tool;         // name for the alert
  core::Severity severity;
  int score;
  std::string_view reason;  // why this client points at the campaign, for the alert
};

constexpr std::array<ClientSignature, 2> kSignatures = {{
    {"rapeflake", "", "FROSTBITE (rapeflake)", core::Severity::critical, 95,
     "FROSTBITE is the UNC5537 actor's own reconnaissance utility, not a product that legitimate users run"},
    {"DBeaver_DBeaverUltimate", "Windows Server 2022", "DBeaver Ultimate on Windows Server 2022",
     core::Severity::high, 80,
     "UNC5537 ran DBeaver Ultimate from Windows Server 2022 hosts; DBeaver is also a common legitimate client, "
     "so confirm with the user's owner"},
}};

std::string trimmed_lower(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool equals_ignoring_case(std::string_view value, std::string_view expected) {
  return trimmed_lower(value) == trimmed_lower(expected);
}

const ClientSignature* match_signature(std::string_view application, std::string_view os) {
  for (const ClientSignature& signature : kSignatures) {
    if (!equals_ignoring_case(application, signature.application)) continue;
    if (!signature.os.empty() && !equals_ignoring_case(os, signature.os)) continue;
    return &signature;
  }
  return nullptr;
}

class KnownAttackerClient final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A Snowflake session reports a client that the 2024 UNC5537 data-theft campaign used: FROSTBITE "
           "(application \"rapeflake\", critical) or DBeaver Ultimate on Windows Server 2022 (high).";
  }
  std::vector<std::string_view> platforms() const override { return {"snowflake"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "session" || event.additional_event_data.empty()) return;
    simdjson::dom::element document;
    simdjson::dom::object environment;
    if (parser_.parse(event.additional_event_data.data(), event.additional_event_data.size()).get(document) !=
            simdjson::SUCCESS ||
        document.get(environment) != simdjson::SUCCESS) {
      return;
    }
    std::string_view application;
    std::string_view os;
    if (environment["APPLICATION"].get(application) != simdjson::SUCCESS || application.empty()) return;
    if (environment["OS"].get(os) != simdjson::SUCCESS) os = {};

    // Record every session's client, so that an alert can state whether this user used it before.
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;
    const std::string client_key = trimmed_lower(baseline::printable(application, 80));
    const std::optional<store::BaselineEntry> before = ctx.observe(entity, kDimension, client_key, event.time);
    std::vector<std::string> earlier_clients = recent_.of(entity);
    earlier_clients.erase(std::remove(earlier_clients.begin(), earlier_clients.end(), client_key),
                          earlier_clients.end());
    recent_.add(entity, client_key);

    const ClientSignature* signature = match_signature(application, os);
    if (signature == nullptr) return;

    core::Alert alert = make_alert(kId, kTitle, signature->severity, signature->score, event);
    alert.evidence.push_back(make_evidence(event, describe(event, *signature, application, os, before, earlier_clients)));
    alert.remediation = remediation(event, *signature);
    // One alert per user, client and day: a tool run opens many sessions.
    alert.dedupe_key = fmt::format("{}|{}|{}", entity, signature->application, core::format_date(event.time));
    ctx.raise(std::move(alert));
  }

 private:
  static std::string remediation(const core::Event& event, const ClientSignature& signature) {
    // A legitimate DBeaver user should be asked before the account is disabled.
    std::string text = signature.severity == core::Severity::critical
                           ? fmt::format("Disable the user now: {}.", containment_command(event))
                           : fmt::format("Ask the user's owner whether they run {}. If not, disable the user: {}.",
                                         signature.tool, containment_command(event));
    text += " Then reset its password or key pair";
    // SESSION_ID is a number in Snowflake; anything else is not put into SQL.
    const bool numeric_session = !event.event_id.empty() && event.event_id.size() <= 20 &&
                                 std::all_of(event.event_id.begin(), event.event_id.end(),
                                             [](unsigned char c) { return std::isdigit(c) != 0; });
    if (numeric_session) {
      text += fmt::format(
          ", review what the session ran (SELECT QUERY_ID, START_TIME, QUERY_TEXT FROM "
          "SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE SESSION_ID = {} ORDER BY START_TIME)",
          event.event_id);
    }
    text += ", and restrict the user with a network policy and MFA or key-pair authentication before enabling it again.";
    return text;
  }

  static std::string describe(const core::Event& event, const ClientSignature& signature, std::string_view application,
                              std::string_view os, const std::optional<store::BaselineEntry>& before,
                              const std::vector<std::string>& earlier_clients) {
    std::string text = fmt::format(
        "Snowflake user {} opened session {} with client application \"{}\" on OS \"{}\", which matches {} "
        "(full client: \"{}\"): {}",
        baseline::printable(event.identity_id, 120), baseline::printable(event.event_id, 40),
        baseline::printable(application, 80), baseline::printable(os, 80), signature.tool,
        baseline::printable(event.user_agent, 160), signature.reason);
    if (!event.source_ip.empty()) text += fmt::format("; client IP {}", baseline::printable(event.source_ip, 64));
    // Inputs may arrive out of time order, so an entry recorded first can still be newer.
    if (before && before->first_seen < event.time) {
      text += fmt::format("; this user has used this client since {} (sessions recorded: {})",
                          core::format_date(before->first_seen), before->count);
    } else if (before) {
      text += "; this is the user's earliest recorded session with this client";
    } else {
      text += "; this is the user's first session with this client";
    }
    if (!earlier_clients.empty()) {
      text += fmt::format("; other client applications of this user earlier in this run (lower-cased): {}",
                          baseline::join_values(earlier_clients, 6));
    }
    return text;
  }

  simdjson::dom::parser parser_;
  baseline::RecentValues recent_;
};

KEYWARD_REGISTER_DETECTOR(KnownAttackerClient);

}  // namespace
}  // namespace keyward::detect
