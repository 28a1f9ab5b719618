"""Part 3: the enrolment burst, many people at once into one session, on PostgreSQL.

What production does: gunicorn's sync workers (site/gunicorn.conf.py), separate processes
that each serve one request at a time, as many as that file starts on this machine (2 per CPU
+ 1, at most 8, or WEB_CONCURRENCY), each with its own database connection, kept open and
warm. So the figure comes from that many processes forked from the bench (as gunicorn forks
its workers) once it has enrolled two people, unmeasured (what a worker does once is done),
each enrolling one person at a time with its connection opened and warmed beforehand. All the
arrivals wait in one queue the processes share (as requests wait on the socket the workers
share); one event releases them, and they are drained through the site's own service,
`trainings.services.enrol`, the e-mails rendered and delivered after each commit as a request
does. The figure is arrivals divided by the time from the release to the last answer.

The same burst in one process of `--pool` threads follows, for comparison only (the bench's
figure before issue 11): its threads share one Python interpreter lock, as no worker of the
production server does.

Exact means: no error, `capacity` confirmed, the others waiting, and the waiting list in
arrival order, that is the order in which the service took the session's lock (the time it
reads under the lock and the row ids it inserts agree, and the waiting positions are 1, 2, 3…
in that order), the first `capacity` in that order holding the seats. Everything the run
creates (session, people, enrolments, e-mails, log entries) is deleted afterwards.
"""

import datetime
import multiprocessing
import os
import queue
import runpy
import statistics
import threading
import time
from pathlib import Path

ENROLMENTS_PER_SECOND = 100
GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "site" / "gunicorn.conf.py"
# A process that has not answered by then is counted as failed (the bench never hangs).
PROCESS_TIMEOUT = 300


def server_workers():
    """How many workers gunicorn starts here with the site's config file (its own rule)."""
    if GUNICORN_CONFIG.exists():
        return int(runpy.run_path(str(GUNICORN_CONFIG))["workers"])
    return min(2 * (os.cpu_count() or 1) + 1, 8)  # the same rule, if the file is gone


def create_session_and_people(people, capacity):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from trainings.models import TrainingPage, TrainingSession

    # The last synthetic training: not the one the HTTP runs and the table load.
    page = TrainingPage.objects.filter(slug__startswith="synth-").order_by("-path").first()
    if page is None:
        return None, []
    start = timezone.now() + datetime.timedelta(days=30)
    session = TrainingSession.objects.create(
        page=page,
        start=start,
        end=start + datetime.timedelta(hours=3),
        capacity=capacity,
        region="06",
        city="Montréal",
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"bench-{session.pk}-{n}", email=f"bench-{session.pk}-{n}@example.org")
            for n in range(people)
        ]
    )
    return session, users


def connect(session_pk):
    """This thread's connection, opened and warmed: the first queries of a new connection fill
    PostgreSQL's caches of the tables and indexes they use, which a worker's kept connection
    has long done. So each reads once, before the release, what an enrolment reads."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Locale, ModelLogEntry, Page, PageViewRestriction

    from members.models import Membership
    from trainings.models import Enrolment, OutboxEmail, TrainingSession

    TrainingSession.objects.select_related("page").filter(pk=session_pk).first()
    models = [Enrolment, OutboxEmail, ModelLogEntry, Membership, get_user_model()]
    for model in [*models, Page, Locale, PageViewRestriction]:
        model.objects.filter(pk=0).exists()


def burst(session, users, pool):
    """Release everyone at once to `pool` threads of this process; (seconds from release to
    last answer, latencies ms, errors, CPU seconds of this process)."""
    from django.db import connections

    from trainings import services

    arrivals = queue.SimpleQueue()
    for user in users:
        arrivals.put(user)
    connected = threading.Barrier(pool + 1)
    release = threading.Event()
    latencies, errors = [], []

    def drain():
        try:
            try:
                connect(session.pk)
            except Exception as error:  # counted and reported
                errors.append(f"connect: {error!r}")
            connected.wait()
            release.wait()
            while True:
                try:
                    user = arrivals.get_nowait()
                except queue.Empty:
                    return
                began = time.perf_counter()
                try:
                    services.enrol(user, session, consent=True)
                    latencies.append((time.perf_counter() - began) * 1000)
                except Exception as error:  # counted and reported
                    errors.append(repr(error)[:200])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain, name=f"enrol-{n}") for n in range(pool)]
    for thread in threads:
        thread.start()
    connected.wait()
    cpu = time.process_time()
    began = time.perf_counter()
    release.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return elapsed, sorted(latencies), errors, time.process_time() - cpu


def burst_in_processes(session, users, processes, threads):
    """Release everyone at once to `processes` forked processes of `threads` threads each, all
    drawing from one queue; (seconds from release to last answer, latencies ms, errors, CPU
    seconds of the processes)."""
    from django.db import connections

    context = multiprocessing.get_context("fork")
    arrivals, reports = context.Queue(), context.Queue()
    release = context.Event()
    connections.close_all()  # a forked process must not share its parent's connection
    workers = [
        context.Process(
            target=worker,
            args=(session.pk, [user.pk for user in users], threads, arrivals, release, reports),
            name=f"enrol-process-{n}",
        )
        for n in range(processes)
    ]
    for process in workers:
        process.start()
    # Queued once the processes exist (no queue thread of this process is copied into them);
    # nobody takes them before the release.
    for user in users:
        arrivals.put(user.pk)
    for _ in range(processes * threads):
        arrivals.put(None)  # one "no more arrivals" for each thread
    latencies, errors, finished = [], [], []
    deadline = time.monotonic() + PROCESS_TIMEOUT
    ready = 0
    while ready + len(finished) < processes:
        kind, value = next_report(reports, deadline, errors)
        if kind is None:
            break
        if kind == "ready":
            ready += 1
        else:  # failed before being ready
            finished.append(value)
    began = time.monotonic()
    release.set()
    while len(finished) < processes:
        kind, value = next_report(reports, deadline, errors)
        if kind is None:
            break
        finished.append(value)  # done, or failed
    for process in workers:
        process.join(timeout=max(1, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            errors.append(f"{process.name} did not finish")
    last_answer, cpu = began, 0.0
    for answered, process_latencies, process_errors, process_cpu in finished:
        last_answer = max(last_answer, answered)
        latencies += process_latencies
        errors += process_errors
        cpu += process_cpu
    return last_answer - began, sorted(latencies), errors, cpu


def next_report(reports, deadline, errors):
    """The next (kind, value) a process reports, or (None, None) past the deadline."""
    try:
        return reports.get(timeout=max(0.1, deadline - time.monotonic()))
    except queue.Empty:
        errors.append(f"no report from the processes within {PROCESS_TIMEOUT} s")
        return None, None


def worker(session_pk, user_pks, threads, arrivals, release, reports):
    """One forked process: `threads` threads, each connected, wait for the release, then take
    arrivals from the shared queue until it says there are no more. Reports ("ready", None)
    once connected, then ("done", (time of its last answer, latencies, errors, CPU seconds
    from the release on)), or ("failed", …) if it could not run."""
    from django.contrib.auth import get_user_model
    from django.db import connections

    from trainings import services
    from trainings.models import TrainingSession

    latencies, errors = [], []
    last_answer, cpu = 0.0, time.process_time()
    try:
        # Loaded before the release, like the people a request finds signed in.
        session = TrainingSession.objects.get(pk=session_pk)
        people = get_user_model().objects.in_bulk(user_pks)
        connections.close_all()
        connected = threading.Barrier(threads + 1)

        def drain():
            nonlocal last_answer
            try:
                try:
                    connect(session_pk)
                except Exception as error:  # counted and reported
                    errors.append(f"connect: {error!r}")
                connected.wait()
                release.wait()
                while (pk := arrivals.get()) is not None:
                    began = time.monotonic()
                    try:
                        services.enrol(people[pk], session, consent=True)
                        answered = time.monotonic()
                        latencies.append((answered - began) * 1000)
                        last_answer = max(last_answer, answered)
                    except Exception as error:  # counted and reported
                        errors.append(repr(error)[:200])
            finally:
                connections.close_all()

        pool = [threading.Thread(target=drain) for _ in range(threads)]
        for thread in pool:
            thread.start()
        connected.wait()
        cpu = time.process_time()
        reports.put(("ready", None))
        for thread in pool:
            thread.join()
    except Exception as error:  # reported to the parent, which counts it
        errors.append(f"process: {error!r}"[:200])
        reports.put(("failed", (last_answer, latencies, errors, time.process_time() - cpu)))
        return
    reports.put(("done", (last_answer, latencies, errors, time.process_time() - cpu)))


def check(session, people, capacity):
    """The outcome and whether it is exact (see the module's docstring)."""
    from trainings.models import Enrolment, EnrolmentStatus, OutboxEmail

    rows = list(
        Enrolment.objects.filter(session=session)
        .order_by("created", "pk")
        .values_list("pk", "status")
    )
    statuses = [status for _, status in rows]
    in_lock_order = [pk for pk, _ in rows]
    confirmed = statuses.count(EnrolmentStatus.CONFIRMED)
    waiting = statuses.count(EnrolmentStatus.WAITING)
    waiting_pks = [pk for pk, status in rows if status == EnrolmentStatus.WAITING]
    positions = Enrolment.objects.filter(session=session).waiting_positions()
    in_order = (
        in_lock_order == sorted(in_lock_order)
        and statuses[:capacity] == [EnrolmentStatus.CONFIRMED] * min(capacity, len(rows))
        and positions == {pk: place for place, pk in enumerate(waiting_pks, start=1)}
    )
    emails = OutboxEmail.objects.filter(enrolment__session=session)
    return {
        "enrolments": len(rows),
        "confirmed": confirmed,
        "waiting": waiting,
        "in_order": in_order,
        "emails": emails.count(),
        "rendered": emails.exclude(body="").count(),
        "exact": len(rows) == people
        and confirmed == min(capacity, people)
        and waiting == people - min(capacity, people)
        and in_order,
    }


def clean_up(session, users):
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    from trainings.models import Enrolment, OutboxEmail

    enrolments = Enrolment.objects.filter(session=session)
    OutboxEmail.objects.filter(enrolment__in=enrolments).delete()
    OutboxEmail.objects.filter(to__in=[user.email for user in users]).delete()
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Enrolment),
        object_id__in=[str(pk) for pk in enrolments.values_list("pk", flat=True)],
    ).delete()
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(session), object_id=str(session.pk)
    ).delete()
    enrolments.delete()
    session.delete()
    get_user_model().objects.filter(pk__in=[user.pk for user in users]).delete()


def measure(people, capacity, run):
    """One burst in a session of its own: `run(session, users)` releases the people; the
    outcome, with the rate and the latencies, or None without a synthetic training."""
    session, users = create_session_and_people(people, capacity)
    if session is None:
        return None
    try:
        elapsed, latencies, errors, cpu = run(session, users)
        outcome = check(session, people, capacity)
    finally:
        clean_up(session, users)
    outcome.update(
        elapsed=elapsed,
        latencies=latencies,
        errors=errors,
        rate=people / elapsed if elapsed else 0.0,
        cpu_ms=cpu * 1000 / people,
        exact=outcome["exact"] and not errors,
    )
    return outcome


def run_enrolment(args, summary):
    """Part 3: the burst, its figures, and the summary's enrolment line."""
    from django.db import connection

    people, capacity, pool = args.people, args.capacity, min(args.pool, args.people)
    processes = min(server_workers(), people)
    # Unmeasured: two people into a session of one seat, in this process, so that what a
    # worker does once (imports, templates, translations, the calendar's time zone) is done
    # before forking, as a server's workers have long done it when a burst comes.
    measure(2, 1, lambda s, u: burst(s, u, 1))
    print()
    print("== 3. The enrolment burst ==")
    if connection.vendor != "postgresql":
        print(f"Database {connection.vendor}: the burst needs PostgreSQL's row locks; skipped.")
        return None
    outcome = measure(people, capacity, lambda s, u: burst_in_processes(s, u, processes, 1))
    if outcome is None:
        print("No synthetic training: enrolment burst skipped.")
        return None
    print(
        f"{people} people at once into one session of {capacity} seats through "
        f"trainings.services.enrol; {processes} processes, as gunicorn's sync workers here "
        f"(site/gunicorn.conf.py), each with its own connection and one person at a time, "
        f"drain the {people} arrivals released together from one queue."
    )
    latencies, errors, rate = outcome["latencies"], outcome["errors"], outcome["rate"]
    if latencies:
        print(
            f"  {outcome['elapsed'] * 1000:.0f} ms from release to the last answer: {rate:.1f} "
            f"enrolments/s (target ≥ {ENROLMENTS_PER_SECOND}/s); per enrolment median "
            f"{statistics.median(latencies):.1f} ms, p95 "
            f"{latencies[max(0, int(len(latencies) * 0.95) - 1)]:.1f} ms, max "
            f"{latencies[-1]:.1f} ms"
        )
    print(
        f"  confirmed {outcome['confirmed']}, waiting {outcome['waiting']}, errors {len(errors)}; "
        f"waiting list in arrival (lock) order: {'yes' if outcome['in_order'] else 'NO'}; "
        f"exact: {'yes' if outcome['exact'] else 'NO'}"
    )
    print(
        f"  e-mails written: {outcome['emails']} ({outcome['rendered']} rendered); CPU of the "
        f"site's processes per enrolment: {outcome['cpu_ms']:.1f} ms (PostgreSQL's not "
        "counted; the machine's other work slows the rate, not this)"
    )
    for error in errors[:3]:
        print(f"    {error}")
    threaded = measure(people, capacity, lambda s, u: burst(s, u, pool))
    print(
        f"  For comparison only, one process of {pool} threads (they share one Python "
        f"interpreter lock, as no worker does): {threaded['rate']:.1f} enrolments/s, "
        f"{threaded['elapsed'] * 1000:.0f} ms, CPU {threaded['cpu_ms']:.1f} ms per enrolment, "
        f"errors {len(threaded['errors'])}, exact as well: {'yes' if threaded['exact'] else 'NO'}"
    )
    print("  (sessions, people, enrolments, e-mails and log entries of the runs deleted)")
    summary.measured(
        "enrolment",
        f"{rate:.1f}/s; {outcome['confirmed']} confirmed, {outcome['waiting']} waiting, "
        f"{len(errors)} errors, {'in' if outcome['in_order'] else 'NOT in'} order",
        (rate >= ENROLMENTS_PER_SECOND and outcome["exact"]) if people >= 200 else None,
    )
    return outcome
