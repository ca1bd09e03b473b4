#include "detect/change_window.hpp"

#include <gtest/gtest.h>

#include <string>

namespace keyward::detect {
namespace {

core::Event entra_audit(std::string_view activity, std::string_view parameters) {
  core::Event event;
  event.platform = "entra";
  event.event_name = activity;
  event.identity_id = "dana@contoso.example";
  event.request_parameters = parameters;
  return event;
}

constexpr std::string_view kAdded =
    R"({"targetType":"ServicePrincipal","targetId":"1b2c3d4e-5f60-4718-293a-4b5c6d7e8f90",)"
    R"("appId":"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d","addedKeys":[{"keyId":"c41f9a2e"}],"removedKeys":[]})";

TEST(ChangeWindow, EntraServicePrincipalCredentialAdded) {
  const core::Event event = entra_audit("Add service principal credentials", kAdded);
  EXPECT_EQ(rotated_identity_key(event), "entra:9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d")
      << "keyed by appId, as Entra sign-ins key service principals";
}

TEST(ChangeWindow, EntraApplicationCredentialWithoutAppId) {
  const core::Event event = entra_audit(
      "Update application \xE2\x80\x93 Certificates and secrets management",
      R"({"targetType":"Application","targetId":"2c3d4e5f-6071-4829-3a4b-5c6d7e8f9001","appId":"","addedKeys":[{"keyId":"e5a6"}]})");
  EXPECT_EQ(rotated_identity_key(event), "entra:2c3d4e5f-6071-4829-3a4b-5c6d7e8f9001");
}

TEST(ChangeWindow, EntraNoWindowWithoutAddedKey) {
  EXPECT_EQ(rotated_identity_key(entra_audit("Remove service principal credentials", kAdded)), "")
      << "a removal is not a new credential";
  EXPECT_EQ(rotated_identity_key(entra_audit(
                "Add service principal credentials",
                R"({"targetId":"1b2c","appId":"9a8b","addedKeys":[],"removedKeys":[{"keyId":"c41f"}]})")),
            "");
  core::Event failed = entra_audit("Add service principal credentials", kAdded);
  failed.error_code = "failure";
  EXPECT_EQ(rotated_identity_key(failed), "");
  EXPECT_EQ(rotated_identity_key(entra_audit("Add service principal credentials", "not json")), "");
}

}  // namespace
}  // namespace keyward::detect
