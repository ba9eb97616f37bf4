package dev.unidler.access;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says which tokens, allowlist or chat users file is unusable and why, instead of a stack
 * trace.
 */
final class AccessFileFailureAnalyzer extends AbstractFailureAnalyzer<AccessFileException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AccessFileException cause) {
		return new FailureAnalysis("The unidler cannot use " + cause.getMessage(),
				"Fix the file (the README's \"Restarting apps\" shows its format), or unset "
						+ "UNIDLER_ACCESS_TOKENSFILE / UNIDLER_ACCESS_ALLOWLISTFILE / UNIDLER_SLACK_USERSFILE.",
				cause);
	}

}
