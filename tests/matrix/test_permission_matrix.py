"""Who can reach every URL of the service: one row per URL pattern, one column
per role, in one table.

Cells: 200 = the page; login = 302 to sign in; 2fa = 302 to enter a two-factor
code first; 302 = redirected elsewhere (the usual next step, e.g. a signed-in
person opening the sign-in page); 403 = a page for a role this person does not
have; 404 = an object this person may not see (its existence is not
revealed); 405 = the URL takes POST only.

The last column, "pw only", is the site's administrator (awards administrator,
Django staff and superuser) in a session that passed the password and not the
second factor, as the Django admin's own form once allowed: every area but
signing in, the help pages and the health check asks for the code.

Arguments name objects of `tests.matrix_world` (provider A's draft, the judge's
assignment...; `panel_chair` is the chair's user id, added below) or are literal values. A new URL pattern without a row fails
`test_every_url_pattern_has_a_row`. To print the observed table after changing a
view: MATRIX_PRINT=1 pytest tests/matrix/test_permission_matrix.py -s
"""

import os

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix_world import ROLES as WORLD_ROLES
from .matrix_world import build_world, url_for

ROLES = [*WORLD_ROLES, "password_only"]

pytestmark = pytest.mark.django_db

COLUMNS = "anon  provA provB judge confl chair admin assr  crs   ocrs  ldr   oldr  media pw"

# Columns, in order: anonymous, provider A, provider B, judge (assigned to provider
# A's entry), conflicted judge (declared a conflict with provider A), panel chair,
# awards administrator, academy assessor, course provider (owns course A), other
# course provider, leader, other leader, media partner.
MATRIX = """
# url name                           verb  arguments                                 anon  provA provB judge confl chair admin assr  crs   ocrs  ldr   oldr  media pw
home                                 GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   200
accessibility                        GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   200
privacy                              GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   200
cookies                              GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   200
your_data                            GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
health                               GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   200
baseline                             GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_login                        GET   -                                         200   302   302   302   302   302   302   302   302   302   302   302   302   2fa
account_logout                       GET   -                                         302   200   200   200   200   200   200   200   200   200   200   200   200   200
account_inactive                     GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_signup                       GET   -                                         200   302   302   302   302   302   302   302   302   302   302   302   302   2fa
account_reauthenticate               GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_email                        GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_email_verification_sent      GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_change_password              GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_set_password                 GET   -                                         login 302   302   302   302   302   302   302   302   302   302   302   302   2fa
account_reset_password               GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_confirm_login_code           GET   -                                         login 302   302   302   302   302   302   302   302   302   302   302   302   2fa
account_confirm_email                GET   key=not-a-key                             200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_reset_password_from_key_done GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_reset_password_from_key      GET   uidb36=1,key=not-a-key                    200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
account_reset_password_done          GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
mfa_index                            GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
mfa_authenticate                     GET   -                                         login 302   302   302   302   302   302   302   302   302   302   302   302   302
mfa_reauthenticate                   GET   -                                         login 302   302   200   200   200   200   200   302   302   302   302   200   200
mfa_activate_totp                    GET   -                                         login 200   200   302   302   302   302   302   200   200   200   200   302   2fa
mfa_deactivate_totp                  GET   -                                         login 404   404   200   200   200   200   200   404   404   404   404   200   2fa
mfa_view_recovery_codes              GET   -                                         login 404   404   404   404   404   404   404   404   404   404   404   404   2fa
mfa_generate_recovery_codes          GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
mfa_download_recovery_codes          GET   -                                         login 404   404   404   404   404   404   404   404   404   404   404   404   2fa
admin:index                          GET   -                                         login login login login login login login login login login login login login 2fa
accounts:dashboard                   GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
accounts:organisation_list           GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
accounts:organisation_create         GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
accounts:organisation_detail         GET   pk=org_a                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
accounts:join_request_create         GET   pk=org_a                                  login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
accounts:join_request_decide         GET   pk=join_request                           login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
accounts:join_request_withdraw       POST  pk=join_request                           login 404   404   404   404   404   404   404   404   404   404   404   404   2fa
accounts:member_role_change          POST  pk=colleague_membership                   login 302   404   404   404   404   404   404   404   404   404   404   404   2fa
accounts:role_list                   GET   -                                         login 403   403   403   403   403   403   403   403   403   403   403   403   2fa
accounts:role_revoke                 GET   pk=judge_grant                            login 403   403   403   403   403   403   403   403   403   403   403   403   2fa
accounts:session_status              GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
accounts:audit_log                   GET   -                                         login 403   403   403   403   403   200   200   403   403   403   403   403   2fa
awards:dashboard                     GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
awards:start                         GET   -                                         login 200   200   302   302   302   302   200   200   200   200   302   302   2fa
awards:nomination                    GET   pk=draft                                  login 200   404   404   404   404   200   404   404   404   404   404   404   2fa
awards:edit_service                  GET   pk=draft                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:edit_answers                  GET   pk=draft                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:edit_statement                GET   pk=draft                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:edit_consent                  GET   pk=draft                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:evidence                      GET   pk=draft                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:images                        GET   pk=entry                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:person_consent                GET   pk=draft,subject=statement                login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:person_consent_withdraw       GET   pk=entry,subject=images                   login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:evidence_remove               POST  pk=draft,evidence_pk=draft_evidence       login 302   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:check_answers                 GET   pk=draft                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:submitted                     GET   pk=entry                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
awards:withdraw                      GET   pk=draft                                  login 200   404   404   404   404   200   404   404   404   404   404   404   2fa
awards:evidence_download             GET   evidence_pk=entry_evidence                login 200   404   404   404   404   200   404   404   404   404   404   404   2fa
awards:manage_cycles                 GET   -                                         login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_cycle_create           GET   -                                         login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_cycle                  GET   pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_cycle_edit             GET   pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_sector_balance         GET   pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_equity                 GET   pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:equity_public                 GET   pk=past_cycle                             200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
awards:manage_category_create        GET   cycle_pk=cycle                            login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_category_edit          GET   cycle_pk=cycle,pk=category                login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_category               GET   pk=category                               login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_question_create        POST  pk=category                               login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_criterion_create       POST  pk=category                               login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_question               GET   pk=question                               login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_question_delete        POST  pk=question                               login 403   403   403   403   403   302   403   403   403   403   403   403   2fa
awards:manage_criterion              GET   pk=criterion                              login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_criterion_delete       POST  pk=criterion                              login 403   403   403   403   403   302   403   403   403   403   403   403   2fa
awards:manage_nominations            GET   -                                         login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_nomination             GET   pk=entry                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_eligibility            POST  pk=entry                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
awards:manage_extension              POST  pk=draft                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:home                         GET   -                                         login 403   403   200   200   200   403   403   403   403   403   403   403   2fa
judging:profile                      GET   -                                         login 403   403   200   200   200   403   403   403   403   403   403   403   2fa
judging:access_needs                 GET   -                                         login 403   403   200   200   200   403   403   403   403   403   403   403   2fa
judging:withdraw_access_consent      POST  -                                         login 403   403   302   302   302   403   403   403   403   403   403   403   2fa
judging:conflicts                    GET   -                                         login 403   403   200   200   200   403   403   403   403   403   403   403   2fa
judging:declare_conflict             GET   organisation_pk=org_b                     login 403   403   200   200   200   403   403   403   403   403   403   403   2fa
judging:accept_invitation            GET   token=invitation_token                    login 302   302   302   302   302   302   302   302   302   302   302   302   2fa
judging:score                        GET   pk=assignment                             login 403   403   200   404   404   403   403   403   403   403   403   403   2fa
judging:submit_scores                POST  pk=assignment                             login 403   403   200   404   404   403   403   403   403   403   403   403   2fa
judging:confirm_scores               GET   pk=assignment                             login 403   403   200   404   404   403   403   403   403   403   403   403   2fa
judging:others_scores                GET   pk=assignment                             login 403   403   404   404   404   403   403   403   403   403   403   403   2fa
judging:scoring_support              GET   pk=assignment                             login 403   403   200   404   404   403   403   403   403   403   403   403   2fa
judging:conflict_from_assignment     GET   pk=assignment                             login 403   403   200   404   404   403   403   403   403   403   403   403   2fa
judging:evidence                     GET   pk=assignment,evidence_pk=entry_evidence  login 403   403   200   404   404   403   403   403   403   403   403   403   2fa
judging:visit                        GET   pk=visit                                  login 403   403   200   404   200   403   403   403   403   403   403   403   2fa
judging:visit_ics                    GET   pk=visit                                  login 403   403   200   404   200   403   403   403   403   403   403   403   2fa
judging:manage                       GET   -                                         login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:judges                       GET   -                                         login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:cycle_panels                 GET   pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:approve_results              POST  pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:save_judging_settings        POST  pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:open_panels                  POST  pk=cycle                                  login 403   403   403   403   403   302   403   403   403   403   403   403   2fa
judging:withdraw_results             GET   pk=past_cycle                             login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:reopen_panel                 GET   pk=panel                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:no_award                     POST  pk=panel                                  login 404   404   404   404   302   403   404   404   404   404   404   404   2fa
judging:export                       GET   pk=cycle,kind=scores,fmt=csv              login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:distribution                 GET   pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:panel                        GET   pk=panel                                  login 404   404   404   404   200   200   404   404   404   404   404   404   2fa
judging:add_panel_member             POST  pk=panel                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:remove_panel_member          POST  pk=panel,judge_pk=panel_chair             login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:set_panel_chair              POST  pk=panel,judge_pk=panel_chair             login 403   403   403   403   403   302   403   403   403   403   403   403   2fa
judging:activate_panel               POST  pk=panel                                  login 403   403   403   403   403   302   403   403   403   403   403   403   2fa
judging:assign_judges                POST  pk=panel                                  login 403   403   403   403   403   302   403   403   403   403   403   403   2fa
judging:override_assignment          POST  pk=panel                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:results                      GET   pk=panel                                  login 404   404   404   404   200   200   404   404   404   404   404   404   2fa
judging:panel_calibration            GET   pk=panel                                  login 404   404   404   404   200   200   404   404   404   404   404   404   2fa
judging:add_calibration_example      POST  pk=panel                                  login 404   404   404   404   403   200   404   404   404   404   404   404   2fa
judging:calibration_examples         GET   -                                         login 403   403   200   200   200   403   403   403   403   403   403   403   2fa
judging:calibrate                    GET   pk=calibration_example                    login 403   403   200   200   200   403   403   403   403   403   403   403   2fa
judging:tie_break                    POST  pk=panel                                  login 404   404   404   404   200   200   404   404   404   404   404   404   2fa
judging:publish_shortlist            POST  pk=panel                                  login 404   404   404   404   403   200   404   404   404   404   404   404   2fa
judging:shortlist                    GET   pk=panel                                  login 404   404   404   404   200   200   404   404   404   404   404   404   2fa
judging:reopen_scores                GET   pk=panel,assignment_pk=scored_assignment  login 404   404   404   404   200   404   404   404   404   404   404   404   2fa
judging:visits                       GET   pk=panel                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:final                        GET   pk=panel                                  login 404   404   404   404   200   200   404   404   404   404   404   404   2fa
judging:record_final_result          POST  pk=panel,nomination_pk=entry              login 404   404   404   404   200   200   404   404   404   404   404   404   2fa
judging:sign_off                     POST  pk=panel                                  login 404   404   404   404   302   403   404   404   404   404   404   404   2fa
judging:confirm_sign_off             GET   pk=panel                                  login 404   404   404   404   200   403   404   404   404   404   404   404   2fa
judging:confirm_publish_shortlist    GET   pk=panel                                  login 404   404   404   404   403   302   404   404   404   404   404   404   2fa
judging:confirm_approve_results      GET   pk=cycle                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:choose_panel_members         GET   pk=panel                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:confirm_remove_panel_member  GET   pk=panel,judge_pk=panel_chair             login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:choose_assignment            GET   pk=panel                                  login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:visit_new                    GET   nomination_pk=winner                      login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:visit_edit                   GET   nomination_pk=winner,pk=visit             login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:visit_cancel                 POST  nomination_pk=winner,pk=visit             login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
judging:feedback                     GET   pk=winner                                 login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
judging:press                        GET   -                                         login 403   403   403   403   403   200   403   403   403   403   403   200   2fa
judging:press_pack                   POST  pk=past_cycle                             login 403   403   403   403   403   302   403   403   403   403   403   302   2fa
winners:index                        GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
winners:cycle                        GET   pk=past_cycle                             200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
winners:image                        GET   pk=winner_image                           200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
winners:credential                   GET   uuid=award_credential_uuid                200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
winners:credential_document          GET   uuid=award_credential_uuid                200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
winners:certificate                  GET   uuid=award_credential_uuid                200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
courses:register                     GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
courses:detail                       GET   pk=course_a                               200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
courses:mine                         GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
courses:create                       GET   -                                         login 403   403   403   403   403   403   200   200   200   403   403   403   2fa
courses:edit                         GET   pk=course_a                               login 404   404   404   404   404   404   200   200   404   404   404   404   2fa
courses:state                        POST  pk=course_a                               login 404   404   404   404   404   404   302   302   404   404   404   404   2fa
courses:manage                       GET   -                                         login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
courses:framework_create             GET   kind=level                                login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
courses:framework_edit               GET   kind=level,pk=framework_level             login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
courses:import                       GET   -                                         login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
courses:import_template              GET   -                                         login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
courses:import_job                   GET   pk=import_job                             login 404   404   404   404   404   404   200   404   404   404   404   404   2fa
courses:import_errors                GET   pk=import_job                             login 404   404   404   404   404   404   200   404   404   404   404   404   2fa
courses:drafts                       GET   -                                         login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
courses:provider_import              GET   -                                         login 403   403   403   403   403   403   403   200   200   403   403   403   2fa
courses:provider_import_template     GET   -                                         login 403   403   403   403   403   403   403   200   200   403   403   403   2fa
courses:export                       GET   fmt=csv                                   login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
open_data:index                      GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
open_data:download                   GET   filename=register.csv                     200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
accreditation:home                   GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
accreditation:start                  POST  course_pk=course_a                        login 404   404   404   404   404   404   404   302   404   404   404   404   2fa
accreditation:application            GET   pk=application                            login 404   404   404   404   404   404   200   200   404   404   404   404   2fa
accreditation:letter                 GET   pk=application                            login 404   404   404   404   404   404   200   200   404   404   404   404   2fa
accreditation:save                   POST  pk=application                            login 404   404   404   404   404   404   404   302   404   404   404   404   2fa
accreditation:upload                 POST  pk=application                            login 404   404   404   404   404   404   404   302   404   404   404   404   2fa
accreditation:submit                 POST  pk=application                            login 404   404   404   404   404   404   404   302   404   404   404   404   2fa
accreditation:confirm_submit         GET   pk=application                            login 404   404   404   404   404   404   404   302   404   404   404   404   2fa
accreditation:evidence               GET   pk=application_evidence                   login 404   404   404   404   404   404   200   200   404   404   404   404   2fa
accreditation:condition_response     POST  pk=condition                              login 404   404   404   404   404   404   403   302   404   404   404   404   2fa
accreditation:staff                  GET   -                                         login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
accreditation:assess                 GET   pk=application                            login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
accreditation:assign                 POST  pk=submitted_application                  login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
accreditation:save_assessment        POST  pk=submitted_application                  login 403   403   403   403   403   403   302   403   403   403   403   403   2fa
accreditation:return                 POST  pk=submitted_application                  login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
accreditation:decide                 POST  pk=submitted_application                  login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
accreditation:confirm_decision       GET   pk=submitted_application                  login 403   403   403   403   403   403   302   403   403   403   403   403   2fa
accreditation:status                 GET   pk=accreditation                          login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
accreditation:confirm_status         GET   pk=accreditation                          login 403   403   403   403   403   403   302   403   403   403   403   403   2fa
accreditation:condition_met          POST  pk=condition                              login 403   403   403   403   403   403   302   403   403   403   403   403   2fa
accreditation:course_change          GET   pk=course_change                          login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
accreditation:accept_course_change   POST  pk=course_change                          login 403   403   403   403   403   403   302   403   403   403   403   403   2fa
accreditation:verify                 GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
accreditation:verify_number          GET   number=accreditation_number               200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
accreditation:credential             GET   uuid=accreditation_credential_uuid        200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
accreditation:credential_document    GET   uuid=accreditation_credential_uuid        200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
leaders:portfolio                    GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
leaders:portfolio_pdf                GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
leaders:profile                      GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
leaders:completion_new               GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
leaders:completion_correct           GET   supersedes_pk=awaiting_completion         login 404   404   404   404   404   404   404   404   404   200   404   404   2fa
leaders:completion_withdraw          GET   pk=awaiting_completion                    login 404   404   404   404   404   404   404   404   404   200   404   404   2fa
leaders:check                        GET   token=check_token                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
leaders:certificate                  GET   pk=awaiting_completion                    login 404   404   404   404   404   404   200   200   404   200   404   404   2fa
leaders:credential                   GET   pk=verified_completion                    login 404   404   404   404   404   404   404   404   404   200   404   404   2fa
leaders:verification                 GET   -                                         login 403   403   403   403   403   403   200   200   200   403   403   403   2fa
leaders:verify                       POST  pk=awaiting_completion                    login 404   404   404   404   404   404   302   302   404   404   404   404   2fa
leaders:reject                       POST  pk=awaiting_completion                    login 404   404   404   404   404   404   302   302   404   404   404   404   2fa
leaders:appointment_new              GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
leaders:appointment_change           GET   pk=dass_appointment                       login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
leaders:dashboard                    GET   -                                         login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
regulator:entries                    GET   -                                         login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
regulator:imports                    GET   -                                         login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
regulator:import_job                 GET   pk=regulator_import                       login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
regulator:category_rule              GET   pk=category                               login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
regulator:override                   POST  pk=entry                                  login 403   403   403   403   403   302   403   403   403   403   403   403   2fa
regulator:find_service               GET   pk=draft                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
credentials:issuer                   GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
credentials:check                    GET   -                                         200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
credentials:verify                   GET   uuid=credential_uuid                      200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
credentials:revoke                   GET   uuid=credential_uuid                      login 403   403   403   403   403   403   200   403   403   403   403   403   2fa
credentials:status_list              GET   number=1                                  200   200   200   200   200   200   200   200   200   200   200   200   200   2fa
notifications:mine                   GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
notifications:ledger                 GET   -                                         login 403   403   403   403   403   200   200   403   403   403   403   403   2fa
notifications:resend                 POST  pk=failed_email                           login 403   403   403   403   403   302   302   403   403   403   403   403   2fa
webhooks:index                       GET   -                                         login 200   200   403   403   403   200   200   200   200   403   403   403   2fa
webhooks:create_for_organisation     GET   pk=org_a                                  login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
webhooks:create_for_team             GET   team=awards                               login 403   403   403   403   403   200   403   403   403   403   403   403   2fa
webhooks:endpoint                    GET   pk=webhook_endpoint                       login 200   404   404   404   404   404   404   404   404   404   404   404   2fa
webhooks:disable                     POST  pk=webhook_endpoint                       login 302   404   404   404   404   404   404   404   404   404   404   404   2fa
webhooks:replay                      POST  pk=webhook_delivery                       login 302   404   404   404   404   404   404   404   404   404   404   404   2fa
api_tokens:list                      GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
api_tokens:create                    GET   -                                         login 200   200   200   200   200   200   200   200   200   200   200   200   2fa
api_tokens:revoke                    POST  pk=999999                                 login 404   404   404   404   404   404   404   404   404   404   404   404   2fa
core:export_job                      GET   pk=export_job                             login 404   404   404   404   404   200   404   404   404   404   404   404   2fa
core:export_download                 GET   pk=export_job                             login 404   404   404   404   404   200   404   404   404   404   404   404   2fa
"""


def parse_matrix(text):
    rows = {}
    for line in text.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, method, arguments, *cells = line.split()
        assert len(cells) == len(ROLES), f"{name}: {len(cells)} cells for {len(ROLES)} roles"
        rows[name] = (method, arguments, dict(zip(ROLES, cells, strict=True)))
    return rows


def url_pattern_names():
    """Every named URL of the project. Django's admin is one row (its index):
    every admin page sits behind the same staff check."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                yield from walk(pattern.url_patterns, ":".join(filter(None, [namespace, inner])) or None)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    # The API's endpoints (namespace "api") answer tokens, not sessions: their
    # rows are in test_api_matrix.py, which checks that none is missing.
    names = {name for name in walk(get_resolver().url_patterns) if not name.startswith(("admin:", "api:"))}
    return names | {"admin:index"}


def test_every_url_pattern_has_a_row():
    table = set(parse_matrix(MATRIX))
    assert sorted(url_pattern_names() - table) == [], "URL patterns without a row in the matrix"
    assert sorted(table - url_pattern_names()) == [], "rows for URL patterns that no longer exist"


def observe(client, method, url) -> str:
    # Each request runs in a savepoint that is rolled back, so a POST in one
    # cell cannot change what the next cell sees.
    with transaction.atomic():
        response = client.post(url) if method == "POST" else client.get(url)
        if response.streaming:
            # Reading a streamed body to the end closes it the way the test
            # client expects (closing it by hand would close the connection).
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("mfa_reauthenticate")):
            return "2fa"
        return "login" if location.startswith((reverse("account_login"), "/admin/login/")) else "302"
    return str(response.status_code)


# Cells where a 403 names an object the person can already see elsewhere, so a
# 404 for a missing id reveals nothing: academy staff read every condition but
# only the course provider answers one; awards administrators read every panel
# but only its chair decides that no award is made or signs the panel off; the
# chair reads the ranking but only an administrator publishes the shortlist.
SEES_THE_OBJECT = {
    ("accreditation:condition_response", "assessor"),
    ("judging:no_award", "awards_admin"),
    ("judging:sign_off", "awards_admin"),
    ("judging:publish_shortlist", "chair"),
    ("judging:confirm_sign_off", "awards_admin"),
    ("judging:confirm_publish_shortlist", "chair"),
    # The chair reads the panel's calibration table; only an administrator adds examples.
    ("judging:add_calibration_example", "chair"),
}


def has_object_id(world, arguments) -> bool:
    return any(isinstance(world.objects.get(pair.split("=")[1]), int) for pair in arguments.split(",") if "=" in pair)


def test_permission_matrix():
    world = build_world()
    # The panel's chair, as the member a panel's administrator changes (judging:set_panel_chair...).
    world.objects["panel_chair"] = world.people["chair"].pk
    rows = parse_matrix(MATRIX)
    observed = {name: {} for name in rows}
    enumeration_leaks = []
    world.people["password_only"] = world.people["site_staff"]
    for role in ROLES:
        client = Client()
        if role == "password_only":
            client.force_login_password_only(world.people[role])
        elif world.people[role] is not None:
            client.force_login(world.people[role])
        for name, (method, arguments, _) in rows.items():
            observed[name][role] = observe(client, method, url_for(world, name, arguments))
            if has_object_id(world, arguments):
                # An id that does not exist must answer exactly as an object
                # this person may not see: ids cannot be probed for existence.
                refused = observed[name][role] in {"login", "2fa", "403", "404"} and (name, role) not in SEES_THE_OBJECT
                missing = observe(client, method, url_for(world, name, arguments, missing=True))
                if missing != (observed[name][role] if refused else "404"):
                    enumeration_leaks.append(f"{name} as {role}: {observed[name][role]} but {missing} when missing")
    if os.environ.get("MATRIX_PRINT"):
        print(f"\n{'# url name':<37}{'verb':<6}{'arguments':<42}{COLUMNS}")
        for name, (method, arguments, _) in rows.items():
            cells = "".join(f"{observed[name][role]:<6}" for role in ROLES)
            print(f"{name:<37}{method:<6}{arguments:<42}{cells}".rstrip())
    holes = [
        f"{name} as {role}: expected {expected[role]}, got {observed[name][role]}"
        for name, (_, _, expected) in rows.items()
        for role in ROLES
        if observed[name][role] != expected[role]
    ]
    assert holes == []
    assert enumeration_leaks == []
    assert len(rows) * len(ROLES) == len(url_pattern_names()) * 14
