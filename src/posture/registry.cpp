#include "posture/check.hpp"

namespace keyward::posture {

// Each check file under posture/checks/ defines one factory. Adding a check means adding its
// file and one line in each list below.
std::unique_ptr<Check> make_access_key_unused_check();
std::unique_ptr<Check> make_access_key_not_rotated_check();
std::unique_ptr<Check> make_access_key_never_used_check();
std::unique_ptr<Check> make_access_key_multiple_active_check();
std::unique_ptr<Check> make_access_key_created_with_user_check();
std::unique_ptr<Check> make_access_key_shared_check();
std::unique_ptr<Check> make_root_access_key_check();
std::unique_ptr<Check> make_admin_or_wildcard_check();
std::unique_ptr<Check> make_machine_console_password_check();
std::unique_ptr<Check> make_privilege_escalation_check();
std::unique_ptr<Check> make_owner_departed_check();

std::vector<std::unique_ptr<Check>> make_checks() {
  std::vector<std::unique_ptr<Check>> checks;
  checks.push_back(make_access_key_unused_check());
  checks.push_back(make_access_key_not_rotated_check());
  checks.push_back(make_access_key_never_used_check());
  checks.push_back(make_access_key_multiple_active_check());
  checks.push_back(make_access_key_created_with_user_check());
  checks.push_back(make_access_key_shared_check());
  checks.push_back(make_root_access_key_check());
  checks.push_back(make_admin_or_wildcard_check());
  checks.push_back(make_machine_console_password_check());
  checks.push_back(make_privilege_escalation_check());
  checks.push_back(make_owner_departed_check());
  return checks;
}

}  // namespace keyward::posture
