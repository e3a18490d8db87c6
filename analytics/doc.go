// Package analytics counts what a government published, where and when, against
// the yearly targets and the inspection rules of 政务公开 (docs/inspection.md), and
// writes the statistics, exports and the annual report (docs/annual-report.md).
//
// All dates are Beijing dates (store.Beijing). The statistics period of year Y
// runs from the day after the previous year's period end to Y's period end,
// inclusive; a year's period end is config.Targets[Y].PeriodEnd, else
// config.Analytics.PeriodEnd, else 12-31. Periods therefore tile the calendar
// without gaps or overlaps: with analytics.period_end 12-15 the 2015 period is
// 2014-12-16..2015-12-15; with only targets[2015].period_end 12-15 set it is
// 2015-01-01..2015-12-15 and 2016 starts on 2015-12-16.
//
// Everything is computed as of a date (the given one, else
// config.Analytics.AsOf, else today): items published after that day are
// ignored, and targets are judged against the share of the period elapsed.
package analytics
