"""Who may see and download a background export (core.export_jobs).

Only its owner sees a job; the file goes to the owner while they still hold
the permission its kind asks for (awards.manage for the nominations...), and
while the kind does not withhold it (the press pack once its results are
withdrawn: the disclosure policy, asked again at each download)."""

import rules

from .export_jobs import KINDS, withheld


@rules.predicate
def owns_export(user, job) -> bool:
    return job is not None and job.owner_id is not None and job.owner_id == user.pk


@rules.predicate
def holds_the_exports_permission(user, job) -> bool:
    kind = KINDS.get(job.kind) if job is not None else None
    return kind is not None and user.has_perm(kind.permission)


@rules.predicate
def not_withheld(user, job) -> bool:
    return job is not None and not withheld(job)


rules.add_perm("core.view_export", owns_export)
rules.add_perm("core.download_export", owns_export & holds_the_exports_permission & not_withheld)
