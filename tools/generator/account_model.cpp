#include "tools/generator/account_model.hpp"

#include <fmt/format.h>

#include "tools/generator/random.hpp"

namespace keyward::generator {

User* Account::find_user(std::string_view name) {
  for (auto& user : users) {
    if (user.name == name) return &user;
  }
  return nullptr;
}

Role* Account::find_role(std::string_view name) {
  for (auto& role : roles) {
    if (role.name == name) return &role;
  }
  return nullptr;
}

const ManagedPolicy* Account::find_policy(std::string_view arn) const {
  for (const auto& policy : policies) {
    if (policy.arn == arn) return &policy;
  }
  return nullptr;
}

std::string Account::user_arn(const User& user) const {
  return fmt::format("arn:aws:iam::{}:user{}{}", id, user.path, user.name);
}

std::string Account::role_arn(const Role& role) const {
  return fmt::format("arn:aws:iam::{}:role{}{}", id, role.path, role.name);
}

std::string Account::policy_arn(std::string_view path, std::string_view name) const {
  return fmt::format("arn:aws:iam::{}:policy{}{}", id, path, name);
}

std::string Account::secret_arn(std::string_view name, std::string_view region) const {
  // Secrets Manager appends a hyphen and six random characters to the name; derive them from
  // the name so every reference to one secret agrees.
  Rng suffix_rng = Rng(0).fork(name);
  return fmt::format("arn:aws:secretsmanager:{}:{}:secret:{}-{}", region, id, name,
                     suffix_rng.text(6, kAlphanumeric));
}

std::string make_unique_id(std::string_view prefix, const Account& account, Rng& rng) {
  return std::string(prefix) + account.id_tag + rng.text(9, kUpperBase32);
}

std::string make_access_key_id(std::string_view prefix, const Account& account, Rng& rng) {
  return std::string(prefix) + account.id_tag + rng.text(8, kUpperBase32);
}

std::string cli_time(core::UnixTime time) {
  std::string text = core::format_time(time);
  text.pop_back();  // the trailing "Z"
  return text + "+00:00";
}

}  // namespace keyward::generator
