package dev.vae.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a resumed run goes on with: the recorded options, unless a change is allowed or overridden. */
class RecordedOptionsTest {
  private static final Map<String, String> RECORDED = Map.of("lr", "1e-3", "latent", "20", "limit", "2000",
      "epochs", "10");

  /** Every option at its default, as a command parsed without options has them. */
  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("lr", "1e-3");
    d.put("latent", "20");
    d.put("limit", "0");
    d.put("epochs", "10");
    return d;
  }

  private static Map<String, String> requested(String... pairs) {
    Map<String, String> m = defaults();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void optionsLeftOutTakeTheRecordedValuesNotTheDefaults() {
    RecordedOptions.Resolution r = RecordedOptions.resolve(RECORDED, defaults(), Set.of(), Set.of(), Set.of("epochs"));
    assertThat(r.values()).containsEntry("limit", "2000").containsEntry("latent", "20");
    assertThat(r.overridden()).isEmpty();
  }

  @Test
  void aChangedOptionIsRefusedNamingBothValuesAndEveryDifference() {
    assertThatThrownBy(() -> RecordedOptions.resolve(RECORDED, requested("latent", "10", "limit", "0"),
        Set.of("latent", "limit"), Set.of(), Set.of("epochs")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--latent was '20' when the run began but is '10' now")
        .hasMessageContaining("--limit was '2000' when the run began but is '0' now")
        .hasMessageContaining("--override NAME");
  }

  @Test
  void theSameValueGivenAgainIsAcceptedAlsoWrittenAnotherWay() {
    RecordedOptions.Resolution r = RecordedOptions.resolve(RECORDED, requested("lr", "0.001"), Set.of("lr"), Set.of(),
        Set.of("epochs"));
    assertThat(r.values()).containsEntry("lr", "0.001");
  }

  @Test
  void changeableOptionsChangeWithoutAnOverride() {
    RecordedOptions.Resolution r = RecordedOptions.resolve(RECORDED, requested("epochs", "30"), Set.of("epochs"),
        Set.of(), Set.of("epochs"));
    assertThat(r.values()).containsEntry("epochs", "30");
    assertThat(r.overridden()).isEmpty();
  }

  @Test
  void anOverrideAllowsTheChangeAndSaysWhatChanged() {
    RecordedOptions.Resolution r = RecordedOptions.resolve(RECORDED, requested("lr", "5e-4"), Set.of("lr"),
        Set.of("lr"), Set.of("epochs"));
    assertThat(r.values()).containsEntry("lr", "5e-4");
    assertThat(r.overridden()).containsExactly("lr: 1e-3 -> 5e-4");
    assertThat(RecordedOptions.overridesAfter(Map.of(RecordedOptions.OVERRIDES_KEY, "after epoch 2, latent: 2 -> 3"),
        r.overridden(), 5)).isEqualTo("after epoch 2, latent: 2 -> 3; after epoch 5, lr: 1e-3 -> 5e-4");
  }

  @Test
  void anOverrideOfNoOptionOrWithoutANewValueIsRefused() {
    assertThatThrownBy(() -> RecordedOptions.resolve(RECORDED, defaults(), Set.of(), Set.of("rate"), Set.of()))
        .hasMessageContaining("--override rate: there is no option --rate; options: epochs, latent, limit, lr");
    assertThatThrownBy(() -> RecordedOptions.resolve(RECORDED, defaults(), Set.of(), Set.of("lr"), Set.of()))
        .hasMessageContaining("--override lr: give the new value too, as --lr VALUE");
  }

  @Test
  void aRunThatRecordedNoOptionsAcceptsOnlyChangeableOnes() {
    assertThat(RecordedOptions.resolve(Map.of(), requested("epochs", "30"), Set.of("epochs"), Set.of(),
        Set.of("epochs")).values()).containsEntry("epochs", "30");
    assertThatThrownBy(() -> RecordedOptions.resolve(Map.of(), requested("latent", "10"), Set.of("latent"), Set.of(),
        Set.of("epochs"))).hasMessageContaining("--latent 10: this run did not record its options");
  }

  @Test
  void optionsRoundTripThroughACheckpointsConfiguration() {
    Map<String, String> config = new LinkedHashMap<>(RecordedOptions.toConfig(RECORDED));
    config.put("model.latent", "20");
    assertThat(config).containsEntry("option.limit", "2000");
    assertThat(RecordedOptions.fromConfig(config)).isEqualTo(RECORDED);
  }
}
