//! A thousand concurrent time-bank and mall operations over real HTTP keep the books whole
//! (`common::concurrency` drives them and checks the books; the bench runs the same driver).

use crate::common::concurrency;
use crate::common::loopback::wire;
use crate::common::spawn_roomy_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_operations_keep_the_books() {
    let app = spawn_roomy_app().await;
    let addr = wire::serve(app.router.clone()).await;
    let mut run = concurrency::run(addr, &app.state, 1000).await.unwrap();
    println!("1000 concurrent operations over HTTP in {:?}:", run.elapsed);
    for line in run.lines() {
        println!("  {line}");
    }
    println!(
        "  pool {}, members {}, sum {}, {} transfers; lowest points balance {}",
        run.pool["pool_balance"],
        run.pool["members_total"],
        run.pool["sum_of_accounts"],
        run.pool["transfers"],
        run.least_points
    );
    assert!(run.broken.is_empty(), "the books broke: {:#?}", run.broken);
    // The mix reached every race and refusal it is for.
    for (op, status, detail) in [
        ("log", 201, ""),
        ("log", 422, "invalid_field"),
        ("confirm", 200, "credited"),
        ("gift", 201, ""),
        ("redeem", 409, "out_of_stock"),
        ("redeem", 409, "not_enough_points"),
        ("handover", 403, "forbidden"),
    ] {
        assert!(
            run.count(op, status, detail) > 0,
            "no {op} answered {status} {detail}: {:#?}",
            run.lines()
        );
    }
    for op in ["reject", "redeem", "cancel", "handover"] {
        assert!(
            run.succeeded(op) > 0,
            "no {op} succeeded: {:#?}",
            run.lines()
        );
    }

    // The check can fail: a restock written behind the server's back breaks "sold = redeemed −
    // cancelled" for the item nobody can afford.
    app.db()
        .execute(
            "INSERT INTO volunteer_points (community, seq, at, kind, item, quantity)
             SELECT 'demo', max(seq) + 1, 0, 'restock', 'health-check', 1
             FROM volunteer_points WHERE community = 'demo'",
            (),
        )
        .unwrap();
    run.check_again(addr, &app.state).await.unwrap();
    assert!(
        run.broken
            .iter()
            .any(|b| b.starts_with("unaffordable items sold")),
        "{:#?}",
        run.broken
    );
}
