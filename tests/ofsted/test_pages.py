"""Reading a provider page in Ofsted's structure into the publications the sync takes."""

from bot.ofsted.pages import kind_of, read_page

PAGE = """<html><body><ul>
<li><a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/50276411">
  <span class="icon"></span>Report <span class="nonvisual">Children&#39;s services inspection, PDF - 09 May 2025
  </span></a></li>
<li><a class="publication-link" href="/v1/file/50211111"><span class="nonvisual">Children’s services focused visit,
  PDF - 22 June 2023</span></a></li>
<li><a class="publication-link" href="/v1/file/50200000"><span class="nonvisual">Area SEND inspection, PDF - 01 May
  2023</span></a></li>
<li><a class="publication-link" href="/v1/file/50100000"><span class="nonvisual">Children's services monitoring
  visit, PDF - 3 March 2021</span></a></li>
<li><a href="/elsewhere"><span class="nonvisual">Children's services inspection, PDF - 1 May 2019</span></a></li>
</ul></body></html>"""


def test_each_childrens_services_report_is_read_with_its_type_date_and_absolute_link():
    """Inspections, focused and monitoring visits are taken in page order with ISO dates; links become absolute."""
    _, found = read_page(PAGE, "https://reports.ofsted.gov.uk/provider/44/2532283")
    assert [(p.report_type, p.published) for p in found] == [
        ("ilacs_inspection", "2025-05-09"), ("focused_visit", "2023-06-22"), ("monitoring_visit", "2021-03-03")]
    assert found[0].url == "https://files.ofsted.gov.uk/v1/file/50276411"
    assert found[1].url == "https://reports.ofsted.gov.uk/v1/file/50211111"


def test_other_publications_and_links_without_the_class_are_left_out_but_counted_for_the_shape():
    """A SEND report is a publication link the sync skips; a plain link is not a publication at all."""
    assert read_page(PAGE, "")[0] == 4
    assert kind_of("Area SEND inspection, PDF - 01 May 2023") == ""
    assert read_page("<html><body><p>We have moved this page.</p></body></html>", "") == (0, [])
