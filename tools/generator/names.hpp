#pragma once

// Word lists for generated names. Changing a list changes every generated account.

#include <string>
#include <vector>

namespace keyward::generator {

const std::vector<std::string>& app_names();     // internal applications: "payments", "orders", ...
const std::vector<std::string>& vendor_names();  // SaaS vendors with an integration user
const std::vector<std::string>& first_names();
const std::vector<std::string>& last_names();

}  // namespace keyward::generator
