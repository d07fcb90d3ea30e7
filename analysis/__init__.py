"""Survey analysis: pure pandas, never imports surveyapp."""
