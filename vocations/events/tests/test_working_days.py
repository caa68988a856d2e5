import datetime as dt

from vocations.events.working_days import is_working_day, public_holidays, working_days_between


def test_french_public_holidays_2027():
    holidays = public_holidays(2027)
    assert len(holidays) == 11
    # Easter 2027 is 28 March: Easter Monday 29 March, Ascension 6 May, Whit Monday 17 May.
    assert {dt.date(2027, 3, 29), dt.date(2027, 5, 6), dt.date(2027, 5, 17)} <= holidays
    assert dt.date(2027, 7, 14) in holidays


def test_working_days_skip_weekends_and_holidays():
    friday = dt.date(2027, 3, 26)
    assert not is_working_day(dt.date(2027, 3, 27))  # Saturday
    assert not is_working_day(dt.date(2027, 3, 29))  # Easter Monday
    # Submitted on Friday: Mon is a holiday, so Tue..Fri make 4 working days.
    assert working_days_between(friday, dt.date(2027, 4, 2)) == 4
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, dt.date(2027, 3, 1)) == 0
