package dev.vae.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV tables: column choice, labels, standardisation, and errors that name line and column. */
class CsvLoaderTest {
  @TempDir Path dir;

  private Path csv(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void loadsChosenColumnsInTheOrderAsked() throws IOException {
    Path f = csv("iris.csv", "a,b,species,c\n1,2,0,3\n\n 4 , 5.5 ,2, -6e1\n");
    DataSet d = CsvLoader.columns("c", "a").withLabel("species").load(f);
    assertThat(d.name()).isEqualTo("iris");
    assertThat(d.toArray()).containsExactly(3, 1, -60, 4);
    assertThat(d.labels()).containsExactly(0, 2);
    DataSet all = CsvLoader.allColumns().withLabel("species").load(f);
    assertThat(all.features()).isEqualTo(3);
    assertThat(all.row(1)).containsExactly(4, 5.5f, -60);
    assertThat(CsvLoader.allColumns().load(f).features()).isEqualTo(4);
  }

  @Test
  void namedClassesGiveTextLabelsAFixedIndex() throws IOException {
    Path f = csv("t.csv", "x;kind\n1;\"virginica\"\n2;setosa\n");
    DataSet d = CsvLoader.columns("x").withLabel("kind", "setosa", "versicolor", "virginica")
        .withDelimiter(';').load(f);
    assertThat(d.labels()).containsExactly(2, 0);
    Path bad = csv("bad.csv", "x;kind\n1;setosa\n2;rose\n");
    assertThatThrownBy(() -> CsvLoader.columns("x").withLabel("kind", "setosa").withDelimiter(';').load(bad))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("column 'kind'")
        .hasMessageContaining("unknown class 'rose'");
  }

  @Test
  void handlesQuotesByteOrderMarkAndEmptyTrailingLines() throws IOException {
    Path f = csv("q.csv", "\uFEFF\"first, name\",\"b\"\"\"\n\"1.5\",2\n\n\n");
    DataSet d = CsvLoader.columns("first, name", "b\"").load(f);
    assertThat(d.toArray()).containsExactly(1.5f, 2f);
  }

  @Test
  void nonNumericValuesNameFileLineAndColumn() throws IOException {
    Path f = csv("n.csv", "a,b\n1,2\n3,x7\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("line 3")
        .hasMessageContaining("column 'b'")
        .hasMessageContaining("not a number: 'x7'")
        .satisfies(e -> {
          DataFormatException dfe = (DataFormatException) e;
          assertThat(dfe.line()).hasValue(3);
          assertThat(dfe.column()).contains("b");
          assertThat(dfe.file()).contains(f);
        });
    Path missing = csv("m.csv", "a,b\n1,\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(missing))
        .hasMessageContaining("line 2, column 'b': missing value");
    Path nan = csv("nan.csv", "a\nNaN\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(nan))
        .hasMessageContaining("line 2, column 'a': not a finite decimal number: 'NaN'");
    Path hex = csv("hex.csv", "a\n0x1p3\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(hex)).hasMessageContaining("'0x1p3'");
    Path huge = csv("huge.csv", "a\n1e300\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(huge)).hasMessageContaining("'1e300'");
  }

  @Test
  void wrongFieldCountNamesTheLine() throws IOException {
    Path f = csv("w.csv", "a,b,c\n1,2,3\n4,5\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("expected 3 (as in the header), found 2");
    Path quote = csv("q.csv", "a,b\n\"1,2\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(quote))
        .hasMessageContaining("line 2")
        .hasMessageContaining("unterminated quote");
  }

  @Test
  void missingHeaderIsReported() throws IOException {
    Path empty = csv("e.csv", "");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(empty))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("e.csv")
        .hasMessageContaining("missing header");
    Path numbers = csv("n.csv", "1,2\n3,4\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(numbers))
        .hasMessageContaining("line 1")
        .hasMessageContaining("missing header: the first line holds values");
    Path dup = csv("d.csv", "a,a\n1,2\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(dup))
        .hasMessageContaining("column 'a': the header names this column twice");
  }

  @Test
  void aHeaderWithoutRowsIsReportedRatherThanTrainedOn() throws IOException {
    Path headerOnly = csv("h.csv", "a,b\n\n");
    assertThatThrownBy(() -> CsvLoader.allColumns().load(headerOnly))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("h.csv")
        .hasMessageContaining("has a header but no rows of values; expected at least one row");
  }

  @Test
  void unknownColumnsListTheHeader() throws IOException {
    Path f = csv("u.csv", "alpha,beta\n1,2\n");
    assertThatThrownBy(() -> CsvLoader.columns("alpha", "gamma").load(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("column 'gamma'")
        .hasMessageContaining("the header has: alpha, beta");
    assertThatThrownBy(() -> CsvLoader.columns("alpha").withLabel("y").load(f))
        .hasMessageContaining("column 'y': unknown label column");
  }

  @Test
  void labelsMustBeClassIndices() throws IOException {
    Path f = csv("l.csv", "x,y\n1,0\n2,1.5\n");
    assertThatThrownBy(() -> CsvLoader.columns("x").withLabel("y").load(f))
        .hasMessageContaining("line 3, column 'y': label '1.5' is not a non-negative integer");
    Path g = csv("l2.csv", "x,y\n1,-2\n");
    assertThatThrownBy(() -> CsvLoader.columns("x").withLabel("y").load(g)).hasMessageContaining("'-2'");
  }

  @Test
  void standardisationIsFittedOnTrainingDataAndAppliedToOtherData() throws IOException {
    Path train = csv("train.csv", "a,b,k\n1,10,5\n3,10,5\n5,40,5\n7,40,5\n");
    Path test = csv("test.csv", "a,b,k\n4,25,6\n");
    CsvLoader loader = CsvLoader.allColumns();
    CsvLoader.Standardized fitted = loader.loadStandardized(train);
    Standardization s = fitted.standardization();
    assertThat(s.means()).containsExactly(4, 25, 5);
    assertThat(s.stds()[0]).isCloseTo(Math.sqrt(5), within(1e-12));
    assertThat(s.stds()[1]).isCloseTo(15, within(1e-12));
    assertThat(s.stds()[2]).isEqualTo(1.0); // constant column: only centred
    double[] mean = fitted.data().featureMeans();
    assertThat(mean[0]).isCloseTo(0, within(1e-7));
    assertThat(fitted.data().get(3, 1)).isCloseTo(1f, within(1e-6f));
    DataSet t = loader.load(test, s);
    assertThat(t.row(0)).containsExactly(0f, 0f, 1f);
    float[] back = t.row(0);
    s.invert(back);
    assertThat(back).containsExactly(4f, 25f, 6f);
  }
}
