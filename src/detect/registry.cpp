#include "detect/detector.hpp"

namespace keyward::detect {

// Each detector file under detect/detectors/ defines one factory. Adding a detector means adding
// its file and one line in each list below.
std::unique_ptr<Detector> make_credential_created_for_other_principal_detector();
std::unique_ptr<Detector> make_iam_write_by_machine_detector();
std::unique_ptr<Detector> make_secret_read_burst_detector();
std::unique_ptr<Detector> make_enumeration_burst_detector();
std::unique_ptr<Detector> make_access_denied_burst_detector();
std::unique_ptr<Detector> make_logging_tampered_detector();
std::unique_ptr<Detector> make_offensive_user_agent_detector();
std::unique_ptr<Detector> make_new_country_detector();
std::unique_ptr<Detector> make_new_asn_detector();
std::unique_ptr<Detector> make_new_user_agent_family_detector();
std::unique_ptr<Detector> make_first_sensitive_call_detector();
std::unique_ptr<Detector> make_dormant_credential_detector();

std::vector<std::unique_ptr<Detector>> make_detectors() {
  std::vector<std::unique_ptr<Detector>> detectors;
  detectors.push_back(make_credential_created_for_other_principal_detector());
  detectors.push_back(make_iam_write_by_machine_detector());
  detectors.push_back(make_secret_read_burst_detector());
  detectors.push_back(make_enumeration_burst_detector());
  detectors.push_back(make_access_denied_burst_detector());
  detectors.push_back(make_logging_tampered_detector());
  detectors.push_back(make_offensive_user_agent_detector());
  detectors.push_back(make_new_country_detector());
  detectors.push_back(make_new_asn_detector());
  detectors.push_back(make_new_user_agent_family_detector());
  detectors.push_back(make_first_sensitive_call_detector());
  detectors.push_back(make_dormant_credential_detector());
  return detectors;
}

}  // namespace keyward::detect
