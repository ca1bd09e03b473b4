#include "tools/generator/planted.hpp"

#include <fmt/format.h>

#include <fstream>

namespace keyward::generator {

InjectedAttack planted_attack(std::string platform, std::string name, std::vector<std::string> detectors,
                              std::string identity, core::UnixTime start, core::UnixTime end) {
  InjectedAttack attack;
  attack.name = std::move(name);
  attack.expected_detector_or_check = detectors.empty() ? std::string() : detectors.front();
  attack.identity_arn = std::move(identity);
  attack.detectors = std::move(detectors);
  attack.platform = std::move(platform);
  attack.start = start;
  attack.end = end;
  return attack;
}

InjectedAttack unreported_posture(std::string name, std::string identity, std::string reason) {
  InjectedAttack problem(std::move(name), std::string(), std::move(identity));
  problem.not_reported = std::move(reason);
  return problem;
}

nlohmann::ordered_json planted_json(const std::vector<InjectedAttack>& planted) {
  nlohmann::ordered_json attacks = nlohmann::ordered_json::array();
  nlohmann::ordered_json posture = nlohmann::ordered_json::array();
  for (const InjectedAttack& item : planted) {
    if (item.is_attack()) {
      attacks.push_back({{"name", item.name},
                         {"platform", item.platform},
                         {"identity", item.identity_arn},
                         {"detectors", item.detectors},
                         {"start", core::format_time(item.start)},
                         {"end", core::format_time(item.end)}});
    } else {
      nlohmann::ordered_json problem = {{"name", item.name},
                                        {"platform", item.platform},
                                        {"identity", item.identity_arn},
                                        {"check", item.expected_detector_or_check}};
      if (!item.not_reported.empty()) problem["not_reported"] = item.not_reported;
      posture.push_back(std::move(problem));
    }
  }
  return {{"attacks", std::move(attacks)}, {"posture", std::move(posture)}};
}

core::Status write_planted(const std::string& path, const std::vector<InjectedAttack>& planted) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << planted_json(planted).dump(2) << '\n';
  out.close();
  if (!out) {
    return core::make_error(core::ErrorCode::io_error, fmt::format("cannot write {}; check that its folder is writable", path));
  }
  return {};
}

}  // namespace keyward::generator
