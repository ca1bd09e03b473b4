#include "enrich/enricher.hpp"

#include "enrich/asn_table.hpp"
#include "enrich/data_enricher.hpp"
#include "enrich/data_files.hpp"
#include "enrich/geoip.hpp"
#include "enrich/ip_address.hpp"
#include "enrich/lookup_cache.hpp"
#include "enrich/network_class.hpp"
#include "enrich/user_agent.hpp"

namespace keyward::enrich {

namespace {

// Everything learned about one source IP text, cached by that text.
struct AddressFacts {
  bool valid = false;
  bool is_public = false;
  GeoRecord geo;
  std::uint32_t asn = 0;
  std::string asn_org;
  std::string network_class;
};

class DataEnricher final : public Enricher {
 public:
  explicit DataEnricher(LoadedData data)
      : data_(std::move(data)), addresses_(kEnrichCacheEntries), user_agents_(kEnrichCacheEntries) {}

  void enrich(core::Event& event) override {
    const AddressFacts& facts = address_facts(event.source_ip);
    core::EventEnrichment& out = event.enrichment;
    out.ip_valid = facts.valid;
    out.ip_public = facts.is_public;
    out.country = facts.geo.country;
    out.city = facts.geo.city;
    out.latitude = facts.geo.latitude.value_or(0);
    out.longitude = facts.geo.longitude.value_or(0);
    out.accuracy_radius_km = facts.geo.accuracy_radius_km;
    out.asn = facts.asn;
    out.asn_org = facts.asn_org;
    out.network_class = facts.network_class;

    const UserAgentInfo& agent = user_agent_info(event.user_agent);
    out.user_agent_family = std::string(agent.family);
    out.user_agent_offensive = agent.offensive;
  }

  bool has_geo() const override { return !data_.geo.empty(); }
  bool has_asn() const override { return !data_.asn.empty(); }

 private:
  const AddressFacts& address_facts(std::string_view text) {
    if (const AddressFacts* cached = addresses_.find(text)) return *cached;
    return addresses_.insert(std::string(text), look_up_address(text));
  }

  AddressFacts look_up_address(std::string_view text) const {
    AddressFacts facts;
    auto address = parse_ip(text);
    if (!address) return facts;
    facts.valid = true;
    facts.is_public = is_public(*address);
    if (!facts.is_public) return facts;  // private and reserved ranges have no location or ASN
    if (auto geo = data_.geo.lookup(*address)) facts.geo = std::move(*geo);
    if (auto asn = data_.asn.lookup(*address)) {
      facts.asn = asn->asn;
      facts.asn_org = std::move(asn->organization);
    }
    facts.network_class = std::string(data_.network_classes.classify(*address, facts.asn));
    return facts;
  }

  const UserAgentInfo& user_agent_info(std::string_view user_agent) {
    if (const UserAgentInfo* cached = user_agents_.find(user_agent)) return *cached;
    return user_agents_.insert(std::string(user_agent), classify_user_agent(user_agent));
  }

  LoadedData data_;
  LookupCache<AddressFacts> addresses_;
  LookupCache<UserAgentInfo> user_agents_;
};

}  // namespace

std::unique_ptr<Enricher> make_enricher(const EnrichOptions& options, EnricherLoadReport& report) {
  return std::make_unique<DataEnricher>(load_enrichment_data(options, report));
}

std::unique_ptr<Enricher> make_enricher(const EnrichOptions& options) {
  EnricherLoadReport report;
  return make_enricher(options, report);
}

}  // namespace keyward::enrich
