#include <algorithm>

#include "detect/detector.hpp"

namespace keyward::detect {
namespace {

// A function-local static, so registrations from other translation units can run in any order.
std::vector<DetectorFactory>& factories() {
  static std::vector<DetectorFactory> registered;
  return registered;
}

}  // namespace

DetectorRegistration::DetectorRegistration(DetectorFactory factory) { factories().push_back(factory); }

std::vector<std::unique_ptr<Detector>> make_detectors() {
  std::vector<std::unique_ptr<Detector>> detectors;
  detectors.reserve(factories().size());
  for (DetectorFactory factory : factories()) detectors.push_back(factory());
  std::sort(detectors.begin(), detectors.end(),
            [](const auto& left, const auto& right) { return left->id() < right->id(); });
  return detectors;
}

bool applies_to(const Detector& detector, std::string_view platform) {
  const std::vector<std::string_view> platforms = detector.platforms();
  return platforms.empty() || std::find(platforms.begin(), platforms.end(), platform) != platforms.end();
}

}  // namespace keyward::detect
