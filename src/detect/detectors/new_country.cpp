// network.new_country: a credential or identity is used from a country it was never used from,
// after its learning period. A stolen key is typically used from the thief's infrastructure, far
// from where the workload that owns the key runs.

#include <fmt/format.h>

#include <sstream>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "network.new_country";
constexpr std::string_view kTitle = "Credential used from a new country";
const std::string kDimension = "country";

// ISO 3166-1 alpha-2 codes from Debian's iso-codes 4.15 (iso_3166-1.json), plus XK (Kosovo),
// which DB-IP and MaxMind use. Probed only when raising, to list the countries seen before.
constexpr std::string_view kCountryCodes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
    "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
    "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";

const std::vector<std::string>& country_codes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> list;
    std::istringstream stream{std::string(kCountryCodes)};
    for (std::string code; stream >> code;) list.push_back(code);
    return list;
  }();
  return codes;
}

// "BR (Sao Paulo, AS22548 NIC.br)": the place and network of the event.
std::string describe_location(const core::Event& event) {
  const core::EventEnrichment& e = event.enrichment;
  std::string where = e.city;
  if (e.asn != 0) {
    if (!where.empty()) where += ", ";
    where += fmt::format("AS{}", e.asn);
    if (!e.asn_org.empty()) where += " " + e.asn_org;
  }
  return where.empty() ? e.country : fmt::format("{} ({})", e.country, where);
}

class NewCountry final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "After its learning period, a credential is used from a country it never used before.";
  }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const core::EventEnrichment& enrichment = event.enrichment;
    // Only a routable address with a known location shows where the caller is. AWS services
    // calling on the principal's behalf log their own hostname or address.
    if (!enrichment.ip_valid || !enrichment.ip_public || enrichment.country.empty()) return;
    if (is_provider_internal(event) || is_human_actor(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    if (ctx.observe(entity, kDimension, enrichment.country, event.time)) return;  // seen before
    if (!baseline::learning_complete(ctx, entity, event.time)) return;

    const std::vector<std::string> before =
        baseline::known_values(ctx, entity, kDimension, country_codes(), enrichment.country);
    std::string description = fmt::format("{} called {} from {}, a country where it was never used before",
                                          baseline::describe_entity(event), action_of(event),
                                          describe_location(event));
    description += before.empty() ? "; no earlier location is recorded"
                                  : fmt::format("; seen before from {}", baseline::join_values(before, 8));
    description += fmt::format(" (activity since {}, source IP {})", baseline::first_activity_date(ctx, entity),
                               event.source_ip);

    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 60, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm with the owner that the workload now runs in {}. If not, contain the credential: {}",
        enrichment.country, containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, enrichment.country);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(NewCountry);

}  // namespace
}  // namespace keyward::detect
