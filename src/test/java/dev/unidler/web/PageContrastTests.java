package dev.unidler.web;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The waiting page's colours meet WCAG AA in both colour schemes: 4.5:1 for text, 3:1 for
 * the step markers. Read from the stylesheet itself, so a colour change that breaks
 * contrast fails here.
 */
class PageContrastTests {

	private static final Pattern VARIABLE = Pattern.compile("--([a-z-]+):\\s*(#[0-9a-fA-F]{6})");

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void textAndMarkersMeetWcagAa(boolean dark) {
		Map<String, String> colours = colours(dark);
		String failureBox = mix(colours.get("failed"), colours.get("card"), 0.08);
		assertContrast(colours.get("text"), colours.get("card"), 4.5);
		assertContrast(colours.get("muted"), colours.get("card"), 4.5);
		assertContrast(colours.get("muted"), colours.get("bg"), 4.5);
		assertContrast(colours.get("accent"), colours.get("card"), 4.5);
		assertContrast(colours.get("accent-text"), colours.get("accent"), 4.5);
		assertContrast(colours.get("failed"), colours.get("card"), 4.5);
		assertContrast(colours.get("text"), failureBox, 4.5);
		assertContrast(colours.get("accent"), failureBox, 4.5);
		assertContrast(colours.get("done"), colours.get("card"), 3);
		assertContrast(colours.get("marker"), colours.get("card"), 3);
	}

	private static Map<String, String> colours(boolean dark) {
		// Exactly the stylesheet the page inlines.
		String css = InlineAssets.read(PageAssets.STYLESHEET);
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

	private static void assertContrast(String foreground, String background, double minimum) {
		double lighter = Math.max(luminance(foreground), luminance(background));
		double darker = Math.min(luminance(foreground), luminance(background));
		assertThat((lighter + 0.05) / (darker + 0.05)).as("contrast of %s on %s", foreground, background)
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

	/** What {@code color-mix(in srgb, a p%, b)} gives. */
	private static String mix(String a, String b, double share) {
		StringBuilder mixed = new StringBuilder("#");
		for (int i = 0; i < 3; i++) {
			int x = Integer.parseInt(a.substring(1 + 2 * i, 3 + 2 * i), 16);
			int y = Integer.parseInt(b.substring(1 + 2 * i, 3 + 2 * i), 16);
			mixed.append(String.format("%02x", Math.round(x * share + y * (1 - share))));
		}
		return mixed.toString();
	}

}
