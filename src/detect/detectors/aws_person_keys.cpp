#include "detect/detectors/aws_person_keys.hpp"

#include "detect/detectors/entity_baseline.hpp"
#include "sources/aws/credential_report_classify.hpp"

namespace keyward::detect::aws {
namespace {

// Other credentials and identities that must have used an unclassified network before it counts
// as one the organization's people work from.
constexpr long long kCommonNetworkUsers = 3;

// The per-entity ASN dimension network.new_asn keeps, aggregated under baseline::kOrgEntity.
const std::string kAsnDimension = "asn";

}  // namespace

bool is_ordinary_aws_client(const core::EventEnrichment& enrichment) {
  if (enrichment.user_agent_offensive) return false;
  const std::string_view family = enrichment.user_agent_family;
  return family == "aws-cli" || family.starts_with("aws-sdk-");
}

bool is_person_user(const core::Identity& user, core::UnixTime time) {
  if (user.classification == core::Classification::human) return true;
  if (user.classification == core::Classification::machine) return false;
  const auto last_used = user.attributes.find("password_last_used");
  if (last_used == user.attributes.end() || !last_used->is_string()) return false;
  const std::optional<core::UnixTime> console_use = core::parse_time(last_used->get<std::string>());
  if (!console_use) return false;
  const core::UnixTime window = static_cast<core::UnixTime>(sources::aws::kRecentConsoleUseDays) * core::kSecondsPerDay;
  return *console_use > time - window && *console_use < time + window;
}

bool is_everyday_network(const core::EventEnrichment& enrichment, const std::string& asn, DetectContext& ctx) {
  const std::string& network_class = enrichment.network_class;
  if (network_class == "residential" || network_class == "mobile") return true;
  if (!network_class.empty() || enrichment.asn == 0) return false;
  const auto users = ctx.lookup(baseline::kOrgEntity, kAsnDimension, asn);
  return users && users->count >= kCommonNetworkUsers;
}

bool is_owner_on_everyday_network(const core::Event& event, const std::string& asn, DetectContext& ctx) {
  const bool console_sign_in = event.event_type == "AwsConsoleSignIn";
  if (!console_sign_in && !is_ordinary_aws_client(event.enrichment)) return false;
  if (!is_everyday_network(event.enrichment, asn, ctx)) return false;
  const core::Identity* owner = ctx.find_identity("aws", event.identity_id);
  return owner != nullptr && is_person_user(*owner, event.time);
}

}  // namespace keyward::detect::aws
