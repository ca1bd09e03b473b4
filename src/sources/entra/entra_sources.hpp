#pragma once

// The Microsoft Entra ID sources. docs/sources/entra.md describes each input and its mapping.

#include "sources/source.hpp"

namespace keyward::sources::entra {

// Reads GET /applications pages: app registrations, their client secrets, certificates and federated credentials.
class ApplicationsSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// Reads GET /servicePrincipals pages: enterprise apps, managed identities, their publishers and credentials.
class ServicePrincipalsSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// Reads GET /oauth2PermissionGrants pages: delegated scopes consented to apps.
class PermissionGrantsSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// Reads GET /servicePrincipals/{id}/appRoleAssignments (or appRoleAssignedTo) pages: application permissions.
class AppRoleAssignmentsSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// Reads GET /users pages: people in the directory, so owners resolve to their account status.
class UsersSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// Reads sign-in logs from Graph (auditLogs/signIns) or Azure diagnostic settings (SignInLogs categories).
class SignInsSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

}  // namespace keyward::sources::entra
