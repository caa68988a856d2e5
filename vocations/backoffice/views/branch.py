"""Branch editors' screen: edit the branch's public page (its déclinaison of the campaign).

Only editors or owners of an organization of kind « branche » speaking for that branch, and
campaign staff, may reach it (the gate's ``BRANCH`` lookup); anyone else signed in gets a French
404 (the branch is not theirs).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from vocations.accounts.services import branch_page_update
from vocations.careers.branch_pages import (
    branch_page_or_none,
)

from ..forms import BranchPageForm
from ..gate import BRANCH, gate


def _initial(page) -> dict:
    if page is None:
        return {}
    return {
        "title": page.title,
        "message": page.message,
        "audiences": page.audiences,
        "highlighted_trades": list(page.highlighted_trades.all()),
        "image_alt": page.image_alt,
    }


@gate("change", BRANCH)
def branch_page_edit(request: HttpRequest, branch) -> HttpResponse:
    page = branch_page_or_none(branch)
    if request.method == "POST":
        form = BranchPageForm(request.POST, request.FILES, branch=branch)
        if form.is_valid():
            data = form.cleaned_data
            try:
                branch_page_update(
                    actor=request.user,
                    branch=branch,
                    title=data["title"],
                    message=data["message"],
                    audiences=data["audiences"],
                    highlighted_trades=list(data["highlighted_trades"]),
                    image=data["image"] or None,
                    image_alt=data["image_alt"],
                    remove_image=data["remove_image"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "La page de la branche est enregistrée.")
                return redirect(reverse("web:branch_detail", kwargs={"slug": branch.slug}))
        status = 400
    else:
        form = BranchPageForm(initial=_initial(page), branch=branch)
        status = 200
    return render(
        request,
        "backoffice/branch_page_form.html",
        {
            "page_title": f"Page de la branche {branch.short_name}",
            "branch": branch,
            "branch_page": page,
            "form": form,
        },
        status=status,
    )
