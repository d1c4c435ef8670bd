package org.diffusiontck.checks.cli;

import java.util.Base64;
import java.util.List;
import org.diffusiontck.checks.cli.StepsStudy.Row;
import org.diffusiontck.reference.oracle.LawDistance;

/** steps.html: the study's picture (embedded as a data URI) and its table, one page. */
final class StepsPage {
  private StepsPage() {}

  static String html(String setting, List<Row> rows, byte[] png) {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Diffusion TCK: steps study</title><style>")
        .append("body{font-family:sans-serif;margin:16px;color:#222}")
        .append("table{border-collapse:collapse;font-size:13px}")
        .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}")
        .append("td:nth-child(-n+2),th{text-align:left}")
        .append("tr.reference{background:#eef4fb}")
        .append("</style></head><body>\n<h1>Steps study: exact distance to the data</h1>\n<p>")
        .append(escape(setting))
        .append(". Exact laws on the Gaussian oracle (spec/derivations/sampler-law.md): no"
            + " network, no sampling noise. KL in nats per dimension; W2 per dimension in data"
            + " units; TV bounds for the whole image.</p>\n")
        .append("<img id=\"plot\" alt=\"distance against steps\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\">\n<table>\n<tr>");
    for (String column : StepsStudy.COLUMNS) {
      out.append("<th>").append(column).append("</th>");
    }
    out.append("</tr>\n");
    for (Row row : rows) {
      LawDistance d = row.distance();
      out.append(row.spacing().equals("-") ? "<tr class=\"reference\">" : "<tr>");
      for (String cell : List.of(row.spacing(), row.sampler(), Integer.toString(row.steps()),
          Integer.toString(row.evaluations()), StepsPlot.format(d.klPQ()),
          StepsPlot.format(d.klQP()), StepsPlot.format(d.w2()), StepsPlot.format(d.tvLower()),
          StepsPlot.format(d.tvUpper()))) {
        out.append("<td>").append(escape(cell)).append("</td>");
      }
      out.append("</tr>\n");
    }
    return out.append("</table>\n</body></html>\n").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
