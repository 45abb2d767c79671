"""Where transfers come from: the demo world, file importers and (later) chain APIs."""
