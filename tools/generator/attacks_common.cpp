#include "tools/generator/clients.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {

std::string attacker_ip(AttackerNetwork network, Rng& rng) {
  switch (network) {
    case AttackerNetwork::hosting_de: return random_ip(Network::digitalocean_de, rng);
    case AttackerNetwork::hosting_nl: return random_ip(Network::m247_nl, rng);
    case AttackerNetwork::vpn_se: return random_ip(Network::vpn_se, rng);
  }
  return random_ip(Network::m247_nl, rng);
}

}  // namespace keyward::generator
