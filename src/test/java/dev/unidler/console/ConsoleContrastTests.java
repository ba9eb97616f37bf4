package dev.unidler.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's colours meet WCAG AA in both colour schemes: 4.5:1 for every text colour
 * on the card, the striped rows and the page, and for the primary button. Read from the
 * stylesheet itself, so a colour change that breaks contrast fails here.
 */
class ConsoleContrastTests {

	private static final Pattern VARIABLE = Pattern.compile("--([a-z-]+):\\s*(#[0-9a-fA-F]{6})");

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void everyTextColourMeetsWcagAaOnEveryBackground(boolean dark) throws IOException {
		Map<String, String> colours = colours(dark);
		for (String text : List.of("text", "muted", "accent", "awake", "idled", "busy", "failed", "drifted")) {
			for (String background : List.of("card", "row", "bg")) {
				assertContrast(text + " on " + background, colours.get(text), colours.get(background), 4.5);
			}
		}
		assertContrast("primary button", colours.get("accent-text"), colours.get("accent"), 4.5);
		// Borders of controls (inputs take the muted colour) against what they sit on.
		assertContrast("input border", colours.get("muted"), colours.get("card"), 3);
	}

	private static Map<String, String> colours(boolean dark) throws IOException {
		String css;
		try (InputStream in = new ClassPathResource("console/console.css").getInputStream()) {
			css = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		int darkStart = css.indexOf("@media (prefers-color-scheme: dark)");
		Map<String, String> colours = new HashMap<>();
		Matcher light = VARIABLE.matcher(css.substring(0, darkStart));
		while (light.find()) {
			colours.put(light.group(1), light.group(2));
		}
		if (dark) {
			Matcher overrides = VARIABLE
				.matcher(css.substring(darkStart, css.indexOf('}', css.indexOf('{', darkStart) + 1)));
			while (overrides.find()) {
				colours.put(overrides.group(1), overrides.group(2));
			}
		}
		return colours;
	}

	private static void assertContrast(String what, String foreground, String background, double minimum) {
		double lighter = Math.max(luminance(foreground), luminance(background));
		double darker = Math.min(luminance(foreground), luminance(background));
		assertThat((lighter + 0.05) / (darker + 0.05)).as("contrast of %s (%s on %s)", what, foreground, background)
			.isGreaterThanOrEqualTo(minimum);
	}

	private static double luminance(String hex) {
		double[] weights = { 0.2126, 0.7152, 0.0722 };
		double luminance = 0;
		for (int i = 0; i < 3; i++) {
			double channel = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
			channel = (channel <= 0.03928) ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
			luminance += weights[i] * channel;
		}
		return luminance;
	}

}
