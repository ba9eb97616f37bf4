package dev.unidler.notify;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what is wrong with the webhook targets file, instead of a stack trace. */
final class WebhookFileFailureAnalyzer extends AbstractFailureAnalyzer<WebhookFileException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WebhookFileException cause) {
		return new FailureAnalysis("The unidler cannot use the webhook targets file " + cause.getMessage(),
				"Fix the file (the README's \"Webhooks\" shows its format), or unset UNIDLER_WEBHOOKS_TARGETSFILE.",
				cause);
	}

}
