#pragma once

// The Okta sources: one class per Okta Management API list output. docs/sources/okta.md gives
// the API call, the least privilege and the field mapping of each.

#include "sources/source.hpp"

namespace keyward::sources::okta {

// GET /api/v1/api-tokens: SSWS API tokens as identities with one credential each.
class ApiTokensSource final : public Source {
 public:
  std::string_view name() const override { return "okta-api-tokens"; }
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// GET /api/v1/apps: OAuth service apps, other app integrations and their client credentials.
class AppsSource final : public Source {
 public:
  std::string_view name() const override { return "okta-apps"; }
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// GET /api/v1/apps/{appId}/grants: the Okta API scopes granted to an app.
class AppGrantsSource final : public Source {
 public:
  std::string_view name() const override { return "okta-app-grants"; }
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// GET /api/v1/users: the directory's people and service accounts.
class UsersSource final : public Source {
 public:
  std::string_view name() const override { return "okta-users"; }
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

// GET /api/v1/logs: System Log events as activity, and token lifecycle facts.
class SystemLogSource final : public Source {
 public:
  std::string_view name() const override { return "okta-system-log"; }
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

}  // namespace keyward::sources::okta
