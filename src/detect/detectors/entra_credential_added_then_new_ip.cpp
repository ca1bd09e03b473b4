// entra.service_principal.credential_added_then_new_ip: someone adds a client secret or
// certificate to a service principal or its application. The directory audit log records it as
// "Add service principal credentials" or "Update application – Certificates and secrets
// management". Within 72 hours the service principal then signs in from an IP address it had not
// signed in from before the addition. Attackers who take over an app owner or an administrator add their own credential to
// an app that already has permissions, then use it from their own infrastructure. The change
// window that keeps the generic novelty detectors quiet after a rotation does not apply here:
// this detector is about exactly that window.
//
// State: additions are kept in memory for the run with who, what and where, and recorded as
// baselines ("credential_added" and "credential_key_added" of entity entra:sp:APP_ID), so a
// sign-in log ingested in a later run still finds the time of the addition. Sign-in addresses and
// ASNs are baselines of the same entity. Candidates are collected per input and judged in
// finish(), because Graph returns sign-ins newest first: the earlier sign-ins that show the
// addresses used before the addition may come later in the same file.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/entra_sign_in_names.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "entra.service_principal.credential_added_then_new_ip";
constexpr std::string_view kTitle = "Credential added to a service principal, then a sign-in from a new IP address";
// NOTE: fixed at 72 hours. DetectOptions has no per-detector settings, and adding one would
// change the shared detector.hpp.
constexpr core::UnixTime kWindowSeconds = 72 * 3600;
const std::string kAddedDimension = "credential_added";
const std::string kKeyAddedDimension = "credential_key_added";
const std::string kIpDimension = "sign_in_ip";
const std::string kAsnDimension = "sign_in_network";
const std::string kSignedInDimension = "signed_in";
constexpr std::size_t kMaxPending = 10000;
constexpr std::size_t kMaxAdditions = 100000;

std::string entity_of_app(std::string_view app) { return fmt::format("entra:sp:{}", app); }

bool is_credential_addition(std::string_view activity) {
  return activity == "Add service principal credentials" ||
         activity == "Update application \xE2\x80\x93 Certificates and secrets management" ||
         activity == "Update application - Certificates and secrets management";
}

std::string string_at(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

struct AddedKey {
  std::string id;
  std::string type;  // "Password", "AsymmetricX509Cert", ...
};

// A credential addition read from a directory audit event, or from baselines of an earlier run
// (then only `time`, `target` and possibly one key id are known).
struct Addition {
  core::UnixTime time = 0;
  std::string target;       // appId, else the target's object id: the baseline entity's key
  std::string app_id;
  std::string object_id;
  std::string target_type;  // "ServicePrincipal" or "Application"
  std::string target_name;
  std::vector<AddedKey> keys;
  std::string actor;
  std::string actor_ip;
  core::SourceRef source;
  bool from_this_run = false;
};

// A service principal sign-in inside an addition's window, copied out of the event.
struct Candidate {
  Addition addition;
  std::string app_id;
  std::string name;
  std::string ip;
  std::string asn;  // "AS9009", or "" when unknown
  std::string asn_org;
  std::string network_class;
  std::string resource;
  std::string credential_id;
  std::string event_id;
  std::string file;
  long long offset = -1;
  core::UnixTime time = 0;
};

std::string describe_keys(const std::vector<AddedKey>& keys) {
  std::vector<std::string> parts;
  for (const AddedKey& key : keys) {
    const std::string kind = key.type == "Password" ? "client secret"
                             : key.type.empty()     ? "credential"
                                                    : fmt::format("{} key", baseline::printable(key.type, 40));
    parts.push_back(fmt::format("{} {}", kind, baseline::printable(key.id, 64)));
  }
  return parts.empty() ? std::string("a credential (key id not logged)") : baseline::join_values(parts, 4);
}

std::string containment_for(const Addition& addition, std::string_view sign_in_credential) {
  const bool application = addition.target_type == "Application";
  const std::string id = addition.app_id.empty() ? addition.object_id : addition.app_id;
  const std::string_view command = application ? "az ad app credential delete" : "az ad sp credential delete";
  std::vector<std::string> keys;
  for (const AddedKey& key : addition.keys) keys.push_back(key.id);
  if (keys.empty() && !sign_in_credential.empty()) keys.emplace_back(sign_in_credential);
  if (keys.empty()) {
    return fmt::format("az ad {} credential list --id {} (then delete the new key with `{} --id {} --key-id KEY_ID`)",
                       application ? "app" : "sp", aws::shell_word(id), command, aws::shell_word(id));
  }
  std::string commands;
  for (const std::string& key : keys) {
    if (!commands.empty()) commands += " && ";
    commands += fmt::format("{} --id {} --key-id {}", command, aws::shell_word(id), aws::shell_word(key));
  }
  return commands;
}

class CredentialAddedThenNewIp final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A secret or certificate is added to a service principal or its application, and within 72 hours the "
           "service principal signs in from an IP address it never used before the addition: the pattern of an "
           "attacker planting a credential and using it from their own infrastructure.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!event.error_code.empty()) return;
    if (is_credential_addition(event.event_name)) return record_addition(event, ctx);
    if (event.event_name == "ServicePrincipalSignIn") record_sign_in(event, ctx);
  }

  void finish(DetectContext& ctx) override {
    std::sort(pending_.begin(), pending_.end(),
              [](const Candidate& a, const Candidate& b) { return a.time < b.time; });
    for (const Candidate& candidate : pending_) judge(candidate, ctx);
    pending_.clear();
  }

 private:
  void record_addition(const core::Event& event, DetectContext& ctx) {
    const auto parameters = nlohmann::json::parse(event.request_parameters, nullptr, /*allow_exceptions=*/false);
    if (!parameters.is_object()) return;
    const auto added = parameters.find("addedKeys");
    if (added == parameters.end() || !added->is_array() || added->empty()) return;

    Addition addition;
    addition.time = event.time;
    addition.app_id = string_at(parameters, "appId");
    addition.object_id = string_at(parameters, "targetId");
    addition.target = addition.app_id.empty() ? addition.object_id : addition.app_id;
    if (addition.target.empty()) return;
    addition.target_type = string_at(parameters, "targetType");
    addition.target_name = string_at(parameters, "targetName");
    for (const auto& key : *added) {
      if (!key.is_object()) continue;
      AddedKey added_key{string_at(key, "keyId"), string_at(key, "keyType")};
      if (!added_key.id.empty()) addition.keys.push_back(std::move(added_key));
    }
    addition.actor = event.user_name.empty() ? event.identity_id : std::string(event.user_name);
    addition.actor_ip = std::string(event.source_ip);
    addition.source = core::SourceRef{std::string(event.file), event.offset, std::string(event.event_id)};
    addition.from_this_run = true;

    const std::string entity = entity_of_app(addition.target);
    ctx.observe(entity, kAddedDimension, baseline::kActivityValue, event.time);
    for (const AddedKey& key : addition.keys) ctx.observe(entity, kKeyAddedDimension, key.id, event.time);

    if (additions_.size() >= kMaxAdditions) {
      additions_.clear();
      key_targets_.clear();
    }
    for (const AddedKey& key : addition.keys) key_targets_[key.id] = addition.target;
    // A service principal target's object id is the sign-in's servicePrincipalId.
    if (!addition.app_id.empty() && !addition.object_id.empty()) key_targets_[addition.object_id] = addition.target;
    Addition& stored = additions_[addition.target];
    if (addition.time >= stored.time) stored = std::move(addition);
  }

  // Returns the latest addition for the signing-in app: from this run (by appId, by the key id
  // the sign-in presented, or by the service principal object id), else from baselines.
  std::optional<Addition> addition_for(const core::Event& event, DetectContext& ctx) {
    for (const std::string_view key : {std::string_view(event.identity_id), event.credential_id, event.principal_id}) {
      if (key.empty()) continue;
      auto direct = additions_.find(std::string(key));
      if (direct != additions_.end()) return direct->second;
      auto target = key_targets_.find(std::string(key));
      if (target == key_targets_.end()) continue;
      auto found = additions_.find(target->second);
      if (found != additions_.end()) return found->second;
    }
    const std::string entity = entity_of_app(event.identity_id);
    const auto stored = ctx.lookup(entity, kAddedDimension, baseline::kActivityValue);
    if (!stored) return std::nullopt;
    Addition addition;
    addition.time = stored->last_seen;
    addition.target = event.identity_id;
    addition.app_id = event.identity_id;
    if (!event.credential_id.empty()) {
      const auto key = ctx.lookup(entity, kKeyAddedDimension, std::string(event.credential_id));
      if (key) addition.keys.push_back(AddedKey{std::string(event.credential_id), ""});
    }
    return addition;
  }

  void record_sign_in(const core::Event& event, DetectContext& ctx) {
    if (event.identity_id.empty() || event.source_ip.empty()) return;
    const std::string entity = entity_of_app(event.identity_id);
    const std::string ip(event.source_ip);
    const std::string asn = event.enrichment.asn == 0 ? std::string() : fmt::format("AS{}", event.enrichment.asn);
    ctx.observe(entity, kSignedInDimension, baseline::kActivityValue, event.time);
    ctx.observe(entity, kIpDimension, ip, event.time);
    if (!asn.empty()) ctx.observe(entity, kAsnDimension, asn, event.time);
    recent_ips_.add(entity, ip);
    if (!asn.empty()) {
      recent_asns_.add(entity, asn);
      asn_orgs_.emplace(asn, event.enrichment.asn_org);
    }

    // NOTE: a sign-in is judged only against additions read before it, so an audit log ingested
    // after the sign-in log raises nothing for those sign-ins.
    auto addition = addition_for(event, ctx);
    if (!addition || event.time < addition->time || event.time - addition->time > kWindowSeconds) return;
    if (pending_.size() >= kMaxPending) return;
    Candidate candidate;
    candidate.addition = std::move(*addition);
    candidate.app_id = event.identity_id;
    candidate.name = entra::service_principal_name(event);
    candidate.ip = ip;
    candidate.asn = asn;
    candidate.asn_org = event.enrichment.asn_org;
    candidate.network_class = event.enrichment.network_class;
    candidate.resource = std::string(event.event_source);
    candidate.credential_id = std::string(event.credential_id);
    candidate.event_id = std::string(event.event_id);
    candidate.file = std::string(event.file);
    candidate.offset = event.offset;
    candidate.time = event.time;
    pending_.push_back(std::move(candidate));
  }

  // Values of `dimension` seen this run whose first sighting precedes `before`.
  std::vector<std::string> seen_before(DetectContext& ctx, const std::string& entity, const std::string& dimension,
                                       const std::vector<std::string>& values, core::UnixTime before) {
    std::vector<std::string> out;
    for (const std::string& value : values) {
      const auto entry = ctx.lookup(entity, dimension, value);
      if (entry && entry->first_seen < before) out.push_back(value);
    }
    return out;
  }

  void judge(const Candidate& candidate, DetectContext& ctx) {
    const Addition& addition = candidate.addition;
    const std::string entity = entity_of_app(candidate.app_id);
    const std::string alert_key = fmt::format("{}|{}", addition.target, addition.time);
    if (raised_.count(alert_key) != 0) return;

    // Without sign-ins before the addition there is nothing to compare with: a new app's first
    // credential and its first sign-ins are normal setup.
    const auto history = ctx.lookup(entity, kSignedInDimension, baseline::kActivityValue);
    if (!history || history->first_seen >= addition.time) return;
    const auto ip_entry = ctx.lookup(entity, kIpDimension, candidate.ip);
    if (ip_entry && ip_entry->first_seen < addition.time) return;
    bool asn_new = false;
    if (!candidate.asn.empty()) {
      const auto asn_entry = ctx.lookup(entity, kAsnDimension, candidate.asn);
      asn_new = !asn_entry || asn_entry->first_seen >= addition.time;
    }

    const std::vector<std::string> earlier_ips =
        seen_before(ctx, entity, kIpDimension, recent_ips_.of(entity), addition.time);
    std::vector<std::string> earlier_asns;
    for (const std::string& asn : seen_before(ctx, entity, kAsnDimension, recent_asns_.of(entity), addition.time)) {
      const auto org = asn_orgs_.find(asn);
      earlier_asns.push_back(org == asn_orgs_.end() || org->second.empty()
                                 ? asn
                                 : fmt::format("{} {}", asn, baseline::printable(org->second, 60)));
    }
    const std::string before =
        earlier_ips.empty()
            ? fmt::format("sign-ins recorded since {} by an earlier ingest (their addresses are not listed)",
                          core::format_date(history->first_seen))
            : fmt::format("{}{}", baseline::join_values(earlier_ips, 8),
                          earlier_asns.empty() ? std::string() : fmt::format(" ({})", baseline::join_values(earlier_asns, 4)));

    core::Event event;
    event.platform = "entra";
    event.time = candidate.time;
    event.event_name = "ServicePrincipalSignIn";
    event.event_source = candidate.resource;
    event.event_id = candidate.event_id;
    event.identity_id = candidate.app_id;
    event.credential_id = candidate.credential_id;
    event.source_ip = candidate.ip;
    event.actor_kind = core::ActorKind::machine;
    event.file = candidate.file;
    event.offset = candidate.offset;

    const std::string label = entra::service_principal_label(candidate.name, candidate.app_id);
    const std::string actor = addition.actor.empty() ? std::string("an unknown initiator") : baseline::printable(addition.actor, 120);
    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, asn_new ? 85 : 75, event);
    if (!candidate.name.empty()) alert.identity.name = candidate.name;
    alert.title = addition.from_this_run
                      ? fmt::format("{} got a new credential from {}, then signed in from new IP {}", label, actor, candidate.ip)
                      : fmt::format("{} got a new credential, then signed in from new IP {}", label, candidate.ip);

    const std::string target_kind = addition.target_type == "Application" ? "application" : "service principal";
    if (addition.from_this_run) {
      core::Evidence added;
      added.description = fmt::format(
          "{}{} added {} to the {} {}{} at {}", actor,
          addition.actor_ip.empty() ? std::string() : fmt::format(" (from {})", baseline::printable(addition.actor_ip, 64)),
          describe_keys(addition.keys), target_kind,
          addition.target_name.empty() ? std::string() : fmt::format("'{}' ", baseline::printable(addition.target_name, 120)),
          baseline::printable(addition.object_id.empty() ? addition.target : addition.object_id, 80),
          core::format_time(addition.time));
      added.source = addition.source;
      added.time = addition.time;
      alert.evidence.push_back(std::move(added));
    } else {
      alert.evidence.push_back(make_evidence(
          event, fmt::format("a credential was added at {} (recorded by an earlier ingest; the directory audit record "
                             "of that time names who added it){}",
                             core::format_time(addition.time),
                             addition.keys.empty() ? std::string() : fmt::format(": {}", describe_keys(addition.keys)))));
    }
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} signed in to {} from {} ({}{}{}) {} hours after the credential was added; before the "
                           "addition it signed in from {}.{}",
                           label, baseline::printable(candidate.resource, 80), candidate.ip,
                           candidate.asn.empty() ? std::string("ASN unknown") : candidate.asn,
                           candidate.asn_org.empty() ? std::string() : " " + baseline::printable(candidate.asn_org, 60),
                           candidate.network_class.empty() ? std::string() : ", " + candidate.network_class,
                           (candidate.time - addition.time) / 3600, before,
                           candidate.asn.empty() ? std::string()
                           : asn_new             ? std::string(" Its network (ASN) is new too.")
                                                 : std::string(" Its network (ASN) was used before."))));
    alert.remediation = fmt::format(
        "Ask {} whether they added the credential and whether the workload now runs at {}. If not, remove the "
        "credential, then review what the app did since {}: {}",
        actor, candidate.ip, core::format_time(addition.time), containment_for(addition, candidate.credential_id));
    alert.dedupe_key = alert_key;
    raised_.insert(alert_key);
    ctx.raise(std::move(alert));
  }

  std::unordered_map<std::string, Addition> additions_;
  std::unordered_map<std::string, std::string> key_targets_;  // key id or object id -> Addition::target
  std::vector<Candidate> pending_;
  baseline::RecentValues recent_ips_;
  baseline::RecentValues recent_asns_;
  std::map<std::string, std::string> asn_orgs_;
  std::set<std::string> raised_;
};

KEYWARD_REGISTER_DETECTOR(CredentialAddedThenNewIp);

}  // namespace
}  // namespace keyward::detect
