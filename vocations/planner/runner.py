"""The worker's side of a plan: gather the measured history and the inputs, compute, store
the result in one write. Called by tasks.run_plan."""

from __future__ import annotations

from vocations.campaigns.models import Channel

from . import selectors
from .models import CurveFit, Plan
from .optimize import ChannelBounds, Infeasible
from .planning import City, Inputs, make_plan

LABELS = dict(Channel.choices)


def channel_bounds(minimums: dict, shares: dict) -> dict[str, ChannelBounds]:
    return {
        c: ChannelBounds(minimum=minimums.get(c, 0) / 100, max_share=shares.get(c, 1.0))
        for c in set(minimums) | set(shares)
    }


def gather_inputs(plan) -> Inputs:
    campaign = plan.campaign
    waves = [w for w in selectors.measured_waves(campaign) if w.pk != plan.wave_id]
    if not waves:
        raise Infeasible(
            "Aucune vague mesurée : il faut au moins une vague terminée avec ses "
            "chiffres médias pour estimer les courbes."
        )
    history = selectors.wave_series(campaign, waves)
    territory_registrations, territory_panels = selectors.billboard_territories(campaign, waves)
    if not history:
        raise Infeasible("Les vagues terminées n'ont aucune dépense déclarée.")
    last = waves[-1]
    options = plan.inputs
    need, names = selectors.need_index(difficulty_weight=options.get("difficulty_weight", 1.0))
    return Inputs(
        budget=(plan.budget_cents - plan.fixed_costs_cents) / 100,
        days=(plan.ends_on - plan.starts_on).days + 1,
        labels={c: LABELS[c] for c in history},
        history=history,
        last_wave={c: v for c, v in selectors.wave_amounts(last).items() if c in history},
        last_wave_measured={c: float(s.registrations[-1].sum()) for c, s in history.items()},
        bounds={
            c: b
            for c, b in channel_bounds(
                options.get("minimums", {}), options.get("max_shares", {})
            ).items()
            if c in history
        },
        channel_weights=options.get("channel_weights", {}),
        need_index=need,
        department_names=names,
        must_cover=options.get("must_cover", []),
        must_not=options.get("must_not", []),
        labelled=selectors.labelled_events_by_department(plan.starts_on, plan.ends_on),
        ambassadors=selectors.ambassadors_by_department(),
        cities=[City(*row) for row in selectors.billboard_cities(last)],
        panels_last_wave=selectors.wave_quantities(last, Channel.BILLBOARD),
        events_last_wave=selectors.wave_quantities(last, Channel.EVENTS),
        draws=options.get("draws", 200),
        territory_registrations=territory_registrations,
        territory_panels=territory_panels,
    )


def plan_run(*, plan_id: int) -> None:
    """Compute a pending plan (the worker's task). Claimed with a guarded update so two
    workers never compute it twice; the result is stored in one write at the end, so a plan
    is never half done: either its result or the French reason it could not be made."""
    claimed = Plan.objects.filter(pk=plan_id, status=Plan.Status.PENDING).update(
        status=Plan.Status.RUNNING, progress=1, step="Lecture des vagues mesurées"
    )
    if not claimed:
        return
    plan = Plan.objects.select_related("campaign", "wave").get(pk=plan_id)

    def progress(percent: int, step: str) -> None:
        Plan.objects.filter(pk=plan_id).update(progress=percent, step=step[:200])

    try:
        inputs = gather_inputs(plan)
        cache = dict(
            CurveFit.objects.filter(campaign=plan.campaign).values_list("fingerprint", "fit")
        )
        known = set(cache)
        result = make_plan(inputs, progress, cache)
        CurveFit.objects.bulk_create(
            [
                CurveFit(campaign=plan.campaign, fingerprint=k, fit=v)
                for k, v in cache.items()
                if k not in known
            ],
            ignore_conflicts=True,
        )
        result["waves_used"] = [
            w.number for w in selectors.measured_waves(plan.campaign) if w.pk != plan.wave_id
        ]
    except Infeasible as blocked:
        Plan.objects.filter(pk=plan_id).update(
            status=Plan.Status.FAILED, error=str(blocked), progress=100, step=""
        )
        return
    except Exception:
        Plan.objects.filter(pk=plan_id).update(
            status=Plan.Status.FAILED,
            progress=100,
            step="",
            error="Le calcul a échoué de façon inattendue ; l'équipe technique est prévenue.",
        )
        raise
    Plan.objects.filter(pk=plan_id).update(
        status=Plan.Status.DONE, result=result, progress=100, step=""
    )
