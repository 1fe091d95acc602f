"""From coded passages to the report: the quote basket, attribution and case aliases,
pseudonyms, and the files quotes go out in."""
